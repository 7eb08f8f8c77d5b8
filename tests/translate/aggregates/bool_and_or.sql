-- bool_and, bool_or and every
SELECT bool_and(is_gift), bool_or(is_gift), every(total > 0) FROM orders
