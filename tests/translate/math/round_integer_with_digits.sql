-- round(int, n) is numeric
SELECT round(item_count, 1) FROM orders
