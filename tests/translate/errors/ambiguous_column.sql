-- An unqualified column two joined relations have: 42702 in PostgreSQL
SELECT id FROM orders JOIN customers ON customers.id = orders.customer_id
