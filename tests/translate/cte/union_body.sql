-- A CTE whose body is a UNION
WITH ids AS (SELECT customer_id AS id FROM orders UNION SELECT id FROM customers) SELECT count(*) FROM ids
