-- array_agg with two ORDER BY keys is refused: 0A000
SELECT array_agg(id ORDER BY total DESC, id) FROM orders
