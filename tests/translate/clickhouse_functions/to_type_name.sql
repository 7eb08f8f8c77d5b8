-- toTypeName shows ClickHouse's type
SELECT toTypeName(total) FROM orders LIMIT 1
