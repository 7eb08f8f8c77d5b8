-- coalesce with several arguments
SELECT coalesce(city, email, name) FROM customers
