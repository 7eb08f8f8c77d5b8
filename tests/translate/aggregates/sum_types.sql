-- sum of smallint/int is bigint, of bigint and numeric is numeric, of float is float
SELECT sum(item_count), sum(customer_id), sum(orders.id), sum(total), sum(score) FROM orders JOIN customers ON customers.id = orders.customer_id
