-- A column no relation has: 42703
SELECT nope FROM orders
