-- GROUP BY several keys
SELECT country, segment, count(*) AS n FROM customers GROUP BY country, segment
