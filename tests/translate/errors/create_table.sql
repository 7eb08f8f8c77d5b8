-- CREATE TABLE is refused: 25006
CREATE TABLE t (a int)
