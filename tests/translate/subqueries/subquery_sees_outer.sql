-- A subquery in WHERE sees the outer query's columns
SELECT o.id FROM orders o WHERE o.total > (SELECT avg(i.unit_price) FROM order_items i WHERE i.order_id = o.id)
