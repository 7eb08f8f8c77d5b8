-- int / int truncates toward zero: intDiv
SELECT id, item_count / 2 AS half FROM orders
