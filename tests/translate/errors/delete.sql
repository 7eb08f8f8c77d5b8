-- DELETE is refused: 25006
DELETE FROM orders WHERE id = 1
