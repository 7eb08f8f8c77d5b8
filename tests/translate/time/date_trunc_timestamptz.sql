-- date_trunc of a timestamptz truncates in the session time zone (UTC)
SELECT date_trunc('day', shipped_at) FROM orders
