-- Casts chained
SELECT total::text::numeric(10, 2) FROM orders
