-- AND binds tighter than OR; parentheses kept
SELECT id FROM orders WHERE status = 'paid' AND (total > 100 OR is_gift)
