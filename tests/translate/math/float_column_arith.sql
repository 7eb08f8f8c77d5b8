-- float4 arithmetic
SELECT weight_kg * 1000 AS grams FROM products
