-- ORDER BY a name two output columns share: 42702
SELECT id AS x, total AS x FROM orders ORDER BY x
