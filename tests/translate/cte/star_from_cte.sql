-- SELECT * from a CTE names the CTE's columns
WITH t AS (SELECT id, total * 2 AS double_total FROM orders) SELECT * FROM t
