-- array_position is NULL when absent
SELECT array_position(tags, 'gift') FROM orders
