-- Aggregates with FILTER (WHERE ...)
SELECT count(*) FILTER (WHERE is_gift) AS gifts, sum(total) FILTER (WHERE status = 'paid') AS paid FROM orders
