-- HAVING an aggregate absent from the select list
SELECT status FROM orders GROUP BY status HAVING min(order_date) < DATE '2024-01-01'
