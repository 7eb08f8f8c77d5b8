-- A share of the partition's total
SELECT id, status, total / sum(total) OVER (PARTITION BY status) AS share FROM orders
