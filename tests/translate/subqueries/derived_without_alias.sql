-- A derived table without an alias (PostgreSQL 16 allows it)
SELECT count(*) FROM (SELECT DISTINCT customer_id FROM orders)
