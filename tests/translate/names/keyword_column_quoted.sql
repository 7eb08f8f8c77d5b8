-- A column named like a keyword (timestamp) is quoted in the ClickHouse SQL
SELECT "timestamp", event FROM events
