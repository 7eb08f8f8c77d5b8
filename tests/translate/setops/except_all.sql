-- EXCEPT ALL keeps multiplicity
SELECT customer_id FROM orders EXCEPT ALL SELECT id FROM customers
