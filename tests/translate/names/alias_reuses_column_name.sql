-- An alias equal to another column's name
SELECT total AS id, id AS total FROM orders
