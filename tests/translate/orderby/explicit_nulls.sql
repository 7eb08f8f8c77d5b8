-- Explicit NULLS FIRST / NULLS LAST are kept
SELECT id FROM orders ORDER BY discount ASC NULLS FIRST, coupon DESC NULLS LAST
