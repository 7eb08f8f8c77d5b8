-- GROUP BY GROUPING SETS
SELECT status, currency, count(*) FROM orders GROUP BY GROUPING SETS ((status), (currency), ())
