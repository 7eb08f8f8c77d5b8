-- Comparing a DateTime('UTC') column with a timestamptz literal
SELECT id FROM orders WHERE shipped_at > TIMESTAMPTZ '2024-01-01 00:00:00+00'
