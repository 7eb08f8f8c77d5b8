-- Nested aggregates: 42803 in PostgreSQL; the translator leaves the check to ClickHouse, which refuses them too
SELECT max(count(*)) FROM orders
