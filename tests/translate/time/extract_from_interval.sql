-- extract from an interval is refused: 0A000
SELECT extract(hour FROM INTERVAL '3 hours') FROM orders
