-- date_trunc to minute, hour, day, week, month, quarter, year: a timestamp
SELECT date_trunc('minute', created_at), date_trunc('hour', created_at), date_trunc('day', created_at), date_trunc('week', created_at), date_trunc('month', created_at), date_trunc('quarter', created_at), date_trunc('year', created_at) FROM orders
