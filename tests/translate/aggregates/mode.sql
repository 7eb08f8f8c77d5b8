-- mode() WITHIN GROUP (ORDER BY x): the most frequent value
SELECT mode() WITHIN GROUP (ORDER BY country) FROM customers
