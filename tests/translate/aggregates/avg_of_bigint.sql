-- avg of a bigint column
SELECT avg(id) FROM orders
