-- Three relations joined in a chain
SELECT c.name, p.name AS product, i.quantity FROM order_items i JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = i.product_id
