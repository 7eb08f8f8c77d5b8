-- A quoted mixed-case table alias
SELECT "S"."UserAgent" FROM web_sessions AS "S"
