-- BETWEEN two dates on a timestamp stops at midnight of the last day
SELECT count(*) FROM orders WHERE created_at BETWEEN '2024-01-01' AND '2024-01-31'
