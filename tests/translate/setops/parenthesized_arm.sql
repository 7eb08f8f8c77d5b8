-- A parenthesized arm with its own ORDER BY and LIMIT
(SELECT id FROM orders ORDER BY total DESC LIMIT 5) UNION ALL (SELECT id FROM orders ORDER BY total LIMIT 5)
