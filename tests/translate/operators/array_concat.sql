-- || on arrays concatenates them
SELECT tags || ARRAY['x'] AS more FROM orders
