-- A string literal cast to jsonb
SELECT '{"a": 1}'::jsonb ->> 'a' FROM events LIMIT 1
