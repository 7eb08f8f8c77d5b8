-- A statement needing $2 bound with one value: 08P01
-- params: 1
SELECT id FROM orders WHERE id = $1 AND customer_id = $2
