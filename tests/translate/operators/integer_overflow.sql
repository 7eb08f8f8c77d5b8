-- int4 * int4 past 2^31 is an error in PostgreSQL (22003); ClickHouse widens, and the int4 result is converted back with toInt32
SELECT id, item_count * 1000000000 AS big FROM orders
