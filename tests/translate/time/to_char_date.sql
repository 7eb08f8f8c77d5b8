-- to_char(timestamp, 'YYYY-MM-DD HH24:MI:SS')
SELECT to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') FROM orders
