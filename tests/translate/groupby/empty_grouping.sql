-- GROUP BY () is one group
SELECT count(*) FROM orders GROUP BY ()
