-- IS NOT DISTINCT FROM matches NULL to NULL
SELECT c.id FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.city IS NOT DISTINCT FROM o.coupon
