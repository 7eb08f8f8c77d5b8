-- ::numeric(p, s) rounds to s digits in PostgreSQL
SELECT id, total::numeric(10, 1) AS t1 FROM orders
