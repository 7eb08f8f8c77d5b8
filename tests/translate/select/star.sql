-- SELECT *: the star expands to every column of the datasource, in schema order
SELECT * FROM orders
