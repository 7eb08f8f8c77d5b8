-- x / nullif(y, 0) gives NULL for y = 0
SELECT total / nullif(discount, 0) AS ratio FROM orders
