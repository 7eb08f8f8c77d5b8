-- GROUP BY an output alias that is not an input column
SELECT upper(status) AS s, count(*) AS n FROM orders GROUP BY s
