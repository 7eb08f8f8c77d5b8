-- All the comparison operators
SELECT id FROM orders WHERE total > 1 AND total >= 1 AND total < 9 AND total <= 9 AND total <> 5 AND total != 6 AND total = total
