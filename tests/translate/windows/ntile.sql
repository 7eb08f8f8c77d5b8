-- ntile(4): quartiles
SELECT id, ntile(4) OVER (ORDER BY total) AS quartile FROM orders
