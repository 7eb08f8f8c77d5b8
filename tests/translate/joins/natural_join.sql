-- NATURAL JOIN is refused: 0A000
SELECT * FROM orders NATURAL JOIN order_items
