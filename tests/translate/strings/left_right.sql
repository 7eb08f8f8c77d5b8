-- left and right
SELECT left(sku, 3), right(sku, 2) FROM products
