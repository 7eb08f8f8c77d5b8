-- A backslash in a LIKE pattern is PostgreSQL's default escape
SELECT id FROM orders WHERE coupon LIKE '50\%%'
