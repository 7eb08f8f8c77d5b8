-- numeric * numeric
SELECT unit_price * quantity AS line_total FROM order_items
