-- BETWEEN is inclusive at both ends
SELECT id FROM orders WHERE total BETWEEN 10 AND 100
