-- CASE in ORDER BY: a custom sort order
SELECT id, status FROM orders ORDER BY CASE status WHEN 'placed' THEN 1 WHEN 'paid' THEN 2 ELSE 3 END, id
