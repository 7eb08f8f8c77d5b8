-- A window over an aggregate: share of each status in all orders
SELECT status, count(*) AS n, count(*) * 100.0 / sum(count(*)) OVER () AS pct FROM orders GROUP BY status
