-- count(column) over a LEFT JOIN counts matches only
SELECT c.id, count(o.id) AS orders FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id
