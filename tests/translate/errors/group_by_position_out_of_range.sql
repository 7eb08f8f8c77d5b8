-- GROUP BY a position past the select list: 42P10 in PostgreSQL
SELECT status FROM orders GROUP BY 3
