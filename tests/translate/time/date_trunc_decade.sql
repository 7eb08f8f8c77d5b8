-- date_trunc('decade') is refused: 0A000
SELECT date_trunc('decade', created_at) FROM orders
