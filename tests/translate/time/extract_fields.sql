-- extract answers numeric: year, month, day, hour, minute, quarter, week
SELECT extract(year FROM created_at), extract(month FROM created_at), extract(day FROM created_at), extract(hour FROM created_at), extract(minute FROM created_at), extract(quarter FROM created_at), extract(week FROM created_at) FROM orders
