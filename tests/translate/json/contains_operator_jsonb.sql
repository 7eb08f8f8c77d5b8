-- jsonb @> jsonb containment
SELECT count(*) FROM events WHERE payload @> '{"plan": "pro"}'
