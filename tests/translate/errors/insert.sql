-- INSERT is refused: 25006
INSERT INTO orders (id) VALUES (1)
