-- '99999'::smallint is out of range: 22003
SELECT '99999'::smallint FROM orders
