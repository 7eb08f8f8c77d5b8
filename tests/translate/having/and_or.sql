-- HAVING with several aggregate conditions
SELECT country FROM customers GROUP BY country HAVING count(*) > 10 AND avg(lifetime_value) > 100 OR max(score) IS NULL
