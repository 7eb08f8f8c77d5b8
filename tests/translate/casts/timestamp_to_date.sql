-- timestamp::date
SELECT created_at::date FROM orders
