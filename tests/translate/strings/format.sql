-- format() with %s, %I and %L
SELECT format('%s ordered %s', name, email), format('%I', name), format('%L', city) FROM customers
