-- PostgreSQL allows two result columns with one name; ClickHouse aliases are made unique and the header keeps PostgreSQL's names
SELECT id, id, status, status AS id FROM orders
