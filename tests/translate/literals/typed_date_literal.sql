-- DATE 'yyyy-mm-dd'
SELECT id FROM orders WHERE order_date = DATE '2024-02-29'
