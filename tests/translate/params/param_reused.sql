-- One parameter used twice
-- params: 100
SELECT id FROM orders WHERE total > $1 OR coalesce(discount, 0) > $1
