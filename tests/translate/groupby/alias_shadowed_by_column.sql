-- GROUP BY a name that is both an input column and an output alias: the input column wins
SELECT upper(status) AS status, count(*) FROM orders GROUP BY status
