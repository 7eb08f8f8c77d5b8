-- DISTINCT ON with LIMIT and OFFSET: LIMIT 1 BY then LIMIT
SELECT DISTINCT ON (status) status, id FROM orders ORDER BY status, total DESC LIMIT 3 OFFSET 1
