-- A series crossed with a datasource
SELECT p.id, s.n FROM products p CROSS JOIN generate_series(1, 3) AS s(n)
