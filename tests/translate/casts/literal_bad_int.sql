-- 'abc'::integer is invalid input: 22P02
SELECT 'abc'::integer FROM orders
