-- A timestamp compared with a date
SELECT id FROM orders WHERE created_at >= order_date
