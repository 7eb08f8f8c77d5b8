-- pg_sleep is not translated
SELECT pg_sleep(10) FROM orders
