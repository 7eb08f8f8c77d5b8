-- A parenthesized join nest is written flat
SELECT o.id FROM (orders o JOIN customers c ON c.id = o.customer_id) JOIN order_items i ON i.order_id = o.id
