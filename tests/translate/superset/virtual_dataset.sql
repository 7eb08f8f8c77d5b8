-- Superset: a virtual dataset wrapped as virtual_table
SELECT country AS country, COUNT(DISTINCT id) AS "COUNT_DISTINCT(id)" FROM (SELECT c.* FROM customers c WHERE c.is_active) AS virtual_table GROUP BY country ORDER BY "COUNT_DISTINCT(id)" DESC LIMIT 50
