-- ORDER BY and LIMIT after a UNION apply to the whole result
SELECT id, total FROM orders WHERE status = 'paid' UNION ALL SELECT id, total FROM orders WHERE status = 'refunded' ORDER BY total DESC LIMIT 10
