-- GROUP BY CUBE
SELECT status, is_gift, sum(total) FROM orders GROUP BY CUBE (status, is_gift)
