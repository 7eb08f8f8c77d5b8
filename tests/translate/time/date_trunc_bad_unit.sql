-- An unknown unit: 22023
SELECT date_trunc('fortnight', created_at) FROM orders
