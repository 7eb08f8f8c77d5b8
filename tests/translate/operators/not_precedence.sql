-- NOT binds looser than comparison
SELECT id FROM orders WHERE NOT total > 100 AND NOT is_gift
