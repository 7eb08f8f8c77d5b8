-- coalesce of a smallint column and a bigint literal
SELECT coalesce(age, 10000000000) FROM customers
