-- Interval spellings: '1 week', '2 hours 30 minutes', '1 year 2 mons', '-3 days', '01:30:00', INTERVAL '5' MINUTE
SELECT created_at + INTERVAL '1 week', created_at + INTERVAL '2 hours 30 minutes', created_at + INTERVAL '1 year 2 mons', created_at + INTERVAL '-3 days', created_at + INTERVAL '01:30:00', created_at + INTERVAL '5' MINUTE FROM orders
