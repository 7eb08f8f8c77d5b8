-- ::text of numbers, dates and booleans
SELECT id::text, total::text, order_date::text, is_gift::text FROM orders
