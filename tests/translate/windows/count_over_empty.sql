-- count(*) OVER (): the row count on every row
SELECT id, count(*) OVER () AS total_rows FROM orders
