-- IS NULL and IS NOT NULL on Nullable columns
SELECT id FROM orders WHERE discount IS NULL AND coupon IS NOT NULL
