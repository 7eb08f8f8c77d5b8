-- A PostgreSQL function pipegate does not translate: 42883
SELECT pg_size_pretty(total::bigint) FROM orders
