-- PostgreSQL's boolean spellings
SELECT 'yes'::boolean AS y, 'off'::bool AS n, 't'::boolean AS t FROM orders LIMIT 1
