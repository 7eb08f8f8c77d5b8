-- SELECT INTO creates a table: 25006
SELECT id INTO new_orders FROM orders
