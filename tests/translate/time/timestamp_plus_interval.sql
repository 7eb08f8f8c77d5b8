-- timestamp + interval is a timestamp
SELECT created_at + INTERVAL '30 minutes', created_at - INTERVAL '1 month' FROM orders
