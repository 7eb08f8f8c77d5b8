-- numeric * float8 is float8
SELECT total * score FROM orders JOIN customers ON customers.id = orders.customer_id
