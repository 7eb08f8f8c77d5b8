-- date_part('field', x) answers double precision
SELECT date_part('year', created_at), date_part('dow', order_date) FROM orders
