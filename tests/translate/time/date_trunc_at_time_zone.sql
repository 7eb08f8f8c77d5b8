-- Days in a local time zone: date_trunc of AT TIME ZONE
SELECT date_trunc('day', shipped_at AT TIME ZONE 'Asia/Tokyo') AS tokyo_day, count(*) FROM orders GROUP BY 1
