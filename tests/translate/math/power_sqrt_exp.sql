-- power, sqrt, cbrt, exp
SELECT power(score, 2), sqrt(score), cbrt(score), exp(1) FROM customers
