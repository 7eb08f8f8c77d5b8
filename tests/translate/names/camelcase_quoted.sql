-- CamelCase columns must be double-quoted in PostgreSQL; ClickHouse gets them quoted too
SELECT "SessionId", "PageViews" FROM web_sessions
