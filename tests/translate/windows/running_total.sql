-- A running total: the default frame with ORDER BY is RANGE ... CURRENT ROW (peers included)
SELECT id, order_date, sum(total) OVER (ORDER BY order_date) AS running FROM orders
