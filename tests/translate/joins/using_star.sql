-- After USING, * shows the joined column once
SELECT * FROM order_items JOIN (SELECT id AS order_id, status FROM orders) t USING (order_id)
