-- HAVING on a Decimal sum
SELECT status FROM orders GROUP BY status HAVING sum(total) >= 1000.50
