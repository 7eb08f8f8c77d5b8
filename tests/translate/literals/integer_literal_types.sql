-- Integer literals are integer, or bigint past 2^31
SELECT id, 2147483647 AS i4, 2147483648 AS i8 FROM orders
