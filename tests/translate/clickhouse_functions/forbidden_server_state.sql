-- currentDatabase() is refused: 42501
SELECT currentDatabase() FROM orders
