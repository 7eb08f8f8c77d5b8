-- Bitwise operators & | # << >>
SELECT item_count, item_count & 3 AS a, item_count | 4 AS o, item_count # 1 AS x, item_count << 2 AS l, item_count >> 1 AS r FROM orders
