-- text::integer of a column
SELECT sku::int FROM products WHERE sku ~ '^[0-9]+$'
