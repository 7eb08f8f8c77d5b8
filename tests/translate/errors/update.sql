-- UPDATE is refused: 25006
UPDATE orders SET total = 0 WHERE id = 1
