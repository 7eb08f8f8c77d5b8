-- A derived table with column aliases renames its columns
SELECT s, n FROM (SELECT status, count(*) FROM orders GROUP BY status) AS t(s, n)
