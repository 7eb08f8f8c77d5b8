-- A bound integer parameter
-- params: 42
SELECT id, total FROM orders WHERE id = $1
