-- ceil, ceiling and floor keep numeric for numeric, float8 otherwise
SELECT ceil(total), ceiling(total::float8), floor(total), floor(item_count) FROM orders
