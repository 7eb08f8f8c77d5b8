-- IS TRUE / IS NOT FALSE never yield NULL, unlike =
SELECT id, (discount > 5) IS TRUE AS big_discount, (discount > 5) IS NOT FALSE AS maybe FROM orders
