-- A function neither PostgreSQL's nor allowlisted: 42883
SELECT toStartOfSecond(timestamp) FROM events
