-- An unquoted name folds to lower case, so it misses a CamelCase column: 42703
SELECT SessionId FROM web_sessions
