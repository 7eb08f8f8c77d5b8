-- LIMIT of a text literal: 22P02 in PostgreSQL; the translator passes it on
SELECT id FROM orders LIMIT 'ten'
