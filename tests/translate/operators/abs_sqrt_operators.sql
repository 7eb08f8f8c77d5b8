-- @ (abs), |/ (square root), ||/ (cube root)
SELECT @ -lifetime_value AS a, |/ score AS r, ||/ score AS c FROM customers
