-- '{...}'::int[] reads PostgreSQL's array syntax
SELECT id FROM products WHERE ratings && '{1,2}'::int[]
