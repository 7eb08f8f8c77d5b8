-- A VALUES list is refused: 0A000
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s)
