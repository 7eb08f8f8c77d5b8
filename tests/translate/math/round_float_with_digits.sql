-- round(double precision, int) does not exist in PostgreSQL: 42883
SELECT round(score, 2) FROM customers
