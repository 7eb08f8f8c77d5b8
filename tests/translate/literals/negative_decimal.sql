-- A negative decimal literal
SELECT id, total + -0.5 AS x FROM orders
