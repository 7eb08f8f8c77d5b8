-- JOIN ... USING (col)
SELECT order_id, line_no, total FROM order_items JOIN (SELECT id AS order_id, total FROM orders) t USING (order_id)
