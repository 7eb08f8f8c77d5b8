-- A ClickHouse table function in FROM is refused: 0A000
SELECT * FROM numbers(10)
