-- ->> on JSON text cast to jsonb: the member as text, NULL for JSON null
SELECT properties::jsonb ->> 'plan' AS plan FROM events
