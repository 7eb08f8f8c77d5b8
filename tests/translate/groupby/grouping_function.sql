-- grouping() tells subtotal rows apart; 1 means the key is aggregated away in PostgreSQL
SELECT status, grouping(status) AS is_total, count(*) FROM orders GROUP BY ROLLUP (status)
