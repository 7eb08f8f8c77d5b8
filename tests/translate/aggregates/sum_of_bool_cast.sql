-- sum of booleans cast to int
SELECT sum(is_gift::int) FROM orders
