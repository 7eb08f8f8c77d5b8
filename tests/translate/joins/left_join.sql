-- LEFT JOIN: unmatched right columns are NULL (join_use_nulls)
SELECT c.id, o.total FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
