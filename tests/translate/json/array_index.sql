-- ->> with an integer index into a JSON array (0-based in PostgreSQL)
SELECT properties::jsonb -> 'items' ->> 0 AS first_item FROM events
