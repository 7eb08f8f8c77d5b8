-- reverse and repeat
SELECT reverse(name), repeat('*', age) FROM customers
