-- The last 30 days: now() - interval
SELECT count(*) FROM orders WHERE created_at >= now() - INTERVAL '30 days'
