-- TRUE and FALSE literals
SELECT id, true AS t, false AS f FROM orders WHERE is_gift = true
