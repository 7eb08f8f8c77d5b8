-- An output alias in HAVING is not visible in PostgreSQL (42703)
SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id HAVING n > 5
