-- float8::bigint rounds (half to even in PostgreSQL for floats)
SELECT id, score::bigint FROM customers
