-- Parameters in an IN list
-- params: 'paid', 'shipped'
SELECT id FROM orders WHERE status IN ($1, $2)
