-- bit_and and bit_or
SELECT bit_and(item_count), bit_or(item_count) FROM orders
