-- t.*: the star of one relation of a join
SELECT c.*, o.total FROM customers c JOIN orders o ON o.customer_id = c.id
