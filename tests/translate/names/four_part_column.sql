-- A column qualified by database, schema and table
SELECT pipegate.public.orders.id FROM orders
