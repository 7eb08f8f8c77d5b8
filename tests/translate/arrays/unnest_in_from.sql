-- unnest in FROM is refused: 0A000
SELECT t.tag, count(*) FROM orders, unnest(tags) AS t(tag) GROUP BY t.tag
