-- A RANGE frame with an interval offset
SELECT id, sum(total) OVER (ORDER BY created_at RANGE BETWEEN INTERVAL '7 days' PRECEDING AND CURRENT ROW) AS week_sum FROM orders
