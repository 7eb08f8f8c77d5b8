-- ORDER BY a column name with SELECT *
SELECT * FROM products ORDER BY price DESC
