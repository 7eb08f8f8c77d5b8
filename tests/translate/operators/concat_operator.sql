-- || concatenates text; NULL in, NULL out
SELECT id, status || '-' || coupon AS label FROM orders
