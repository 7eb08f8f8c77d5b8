-- Unaliased expressions are named as PostgreSQL names them: ?column?, the function's name, the cast column's name
SELECT total * 2, upper(status), total::text, CAST(id AS bigint) FROM orders
