-- A JSON member cast to a number
SELECT sum((properties::jsonb ->> 'amount')::numeric) FROM events
