-- More CTE column names than columns: 42P10
WITH t(a, b, c) AS (SELECT id, total FROM orders) SELECT * FROM t
