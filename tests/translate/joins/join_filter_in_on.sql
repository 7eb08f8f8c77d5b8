-- A filter on the right side inside ON keeps unmatched left rows
SELECT c.id, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND o.status = 'paid'
