-- greatest of text values
SELECT greatest(name, email) FROM customers
