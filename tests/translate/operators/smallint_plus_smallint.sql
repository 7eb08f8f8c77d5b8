-- int2 + int2 is int2 in PostgreSQL
SELECT item_count + item_count FROM orders
