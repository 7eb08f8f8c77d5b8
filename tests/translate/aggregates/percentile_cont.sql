-- percentile_cont(p) WITHIN GROUP (ORDER BY x): the median, interpolated
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total) AS median FROM orders
