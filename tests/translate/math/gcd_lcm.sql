-- gcd and lcm
SELECT gcd(item_count, 12), lcm(item_count, 4) FROM orders
