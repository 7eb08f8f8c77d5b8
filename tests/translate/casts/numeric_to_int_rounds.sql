-- numeric::int rounds half away from zero (2.5 -> 3), ClickHouse's toInt32 would truncate
SELECT id, total::int AS rounded FROM orders
