-- avg of integers and numerics is numeric, of floats double
SELECT avg(item_count), avg(total), avg(total::float8) FROM orders
