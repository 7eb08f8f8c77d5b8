-- CAST(x AS type) and x::type are the same
SELECT CAST(total AS double precision) AS f, total::float8 AS g FROM orders
