-- A qualifier that names no relation in FROM: 42P01
SELECT x.id FROM orders
