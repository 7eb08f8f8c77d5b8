-- text = integer does not exist in PostgreSQL: 42883
SELECT id FROM customers WHERE name = 5
