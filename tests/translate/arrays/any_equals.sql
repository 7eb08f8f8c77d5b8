-- x = ANY (array column)
SELECT id FROM orders WHERE 'gift' = ANY (tags)
