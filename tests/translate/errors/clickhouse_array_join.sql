-- ClickHouse's ARRAY JOIN
SELECT id, t FROM orders ARRAY JOIN tags AS t
