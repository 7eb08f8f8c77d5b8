-- initcap
SELECT initcap(name) FROM customers
