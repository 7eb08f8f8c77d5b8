-- A LowCardinality column named event
SELECT event, count(*) FROM events GROUP BY event
