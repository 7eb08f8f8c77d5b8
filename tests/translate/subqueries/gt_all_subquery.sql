-- > ALL (subquery) is refused: 0A000
SELECT id FROM products WHERE price > ALL (SELECT unit_price FROM order_items)
