-- width_bucket is not translated: 42883
SELECT width_bucket(total, 0, 1000, 10) FROM orders
