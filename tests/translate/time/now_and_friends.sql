-- now(), current_timestamp, current_date, localtimestamp
SELECT id FROM orders WHERE created_at <= localtimestamp AND shipped_at <= now() AND shipped_at <= current_timestamp AND order_date <= current_date
