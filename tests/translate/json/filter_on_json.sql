-- Filtering on a JSON member
SELECT count(*) FROM events WHERE properties::jsonb ->> 'plan' = 'pro'
