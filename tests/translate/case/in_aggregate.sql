-- CASE inside sum: conditional aggregation
SELECT sum(CASE WHEN status = 'paid' THEN total ELSE 0 END) AS paid_total, sum(CASE WHEN status = 'refunded' THEN 1 ELSE 0 END) AS refunds FROM orders
