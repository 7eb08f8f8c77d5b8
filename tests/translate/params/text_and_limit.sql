-- A text parameter and a LIMIT parameter
-- params: 'paid', 10
SELECT id FROM orders WHERE status = $1 ORDER BY id LIMIT $2
