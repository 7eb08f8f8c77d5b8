-- random() is a float in [0, 1)
SELECT id FROM orders ORDER BY random() LIMIT 10
