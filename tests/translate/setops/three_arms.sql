-- Three UNION arms
SELECT 'a' AS src, count(*) AS n FROM orders UNION ALL SELECT 'b', count(*) FROM customers UNION ALL SELECT 'c', count(*) FROM products
