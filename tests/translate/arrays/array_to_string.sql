-- array_to_string(a, sep)
SELECT array_to_string(tags, ', ') FROM orders
