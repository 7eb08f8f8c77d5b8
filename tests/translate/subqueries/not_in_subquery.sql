-- NOT IN (subquery): a NULL in the subquery makes it never true in PostgreSQL
SELECT id FROM products WHERE id NOT IN (SELECT product_id FROM order_items)
