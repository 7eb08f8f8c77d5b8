-- percent_rank and cume_dist
SELECT id, percent_rank() OVER (ORDER BY total) AS pr, cume_dist() OVER (ORDER BY total) AS cd FROM orders
