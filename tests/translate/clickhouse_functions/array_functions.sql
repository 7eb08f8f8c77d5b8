-- ClickHouse lambdas: PostgreSQL reads x -> f(x) as the JSON operator, so x is an unknown column (42703)
SELECT arrayMap(x -> upper(x), tags), arrayFilter(x -> x <> '', tags), has(tags, 'gift') FROM orders
