-- timestamp - timestamp is an interval: refused (0A000)
SELECT shipped_at - created_at FROM orders
