-- lag and lead answer NULL past the partition's edge
SELECT id, total, lag(total) OVER (ORDER BY id) AS prev, lead(total, 2, 0) OVER (ORDER BY id) AS next2 FROM orders
