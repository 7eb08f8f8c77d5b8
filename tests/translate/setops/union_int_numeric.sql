-- UNION of integer and numeric arms resolves to numeric
SELECT item_count AS v FROM orders UNION ALL SELECT total FROM orders
