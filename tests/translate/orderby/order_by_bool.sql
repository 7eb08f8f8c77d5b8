-- ORDER BY a boolean: false before true
SELECT id, is_gift FROM orders ORDER BY is_gift DESC, id
