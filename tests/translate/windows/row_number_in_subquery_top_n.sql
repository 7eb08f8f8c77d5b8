-- Top 3 orders per customer through row_number in a subquery
SELECT * FROM (SELECT id, customer_id, total, row_number() OVER (PARTITION BY customer_id ORDER BY total DESC) AS rn FROM orders) t WHERE rn <= 3
