-- round(numeric) and round(numeric, n): half away from zero
SELECT round(total), round(total, 1), round(total, -1) FROM orders
