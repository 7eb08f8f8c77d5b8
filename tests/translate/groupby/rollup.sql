-- GROUP BY ROLLUP: subtotal rows have NULL keys (group_by_use_nulls)
SELECT country, city, count(*) FROM customers GROUP BY ROLLUP (country, city)
