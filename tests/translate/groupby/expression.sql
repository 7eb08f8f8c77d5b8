-- GROUP BY an expression repeated in the select list
SELECT date_trunc('month', created_at), count(*) FROM orders GROUP BY date_trunc('month', created_at)
