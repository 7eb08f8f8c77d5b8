-- Array slices are refused: 0A000
SELECT tags[1:2] FROM orders
