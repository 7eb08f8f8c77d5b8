-- LIKE ... ESCAPE '!' rewritten to ClickHouse's backslash escape
SELECT id FROM orders WHERE coupon LIKE '100!%%' ESCAPE '!'
