-- A datasource joined with itself under two aliases
SELECT a.id, b.id AS next_id FROM orders a JOIN orders b ON b.customer_id = a.customer_id AND b.id > a.id
