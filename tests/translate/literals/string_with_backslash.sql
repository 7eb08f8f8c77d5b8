-- A backslash in a standard string is a plain character; ClickHouse gets it escaped
SELECT id FROM products WHERE sku = 'A\B'
