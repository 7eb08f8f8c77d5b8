-- NOT IN with a NULL in the list: never true in PostgreSQL, so no rows
SELECT id FROM orders WHERE customer_id NOT IN (1, 2, NULL)
