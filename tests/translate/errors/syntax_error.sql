-- A syntax error (42601 in PostgreSQL): sqlparser reads FROM WHERE as a relation named where
SELECT FROM WHERE
