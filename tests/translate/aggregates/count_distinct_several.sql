-- count(DISTINCT (a, b)) of a row
SELECT count(DISTINCT (customer_id, status)) FROM orders
