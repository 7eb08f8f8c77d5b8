-- json_agg is not translated: 42883
SELECT json_agg(status) FROM orders
