-- A relation qualified by database and schema
SELECT id FROM pipegate.public.orders
