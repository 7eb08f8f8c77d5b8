-- A Bool column is a boolean condition by itself
SELECT id FROM orders WHERE is_gift AND NOT (total < 10)
