-- timestamp as a bare column name
SELECT timestamp FROM events
