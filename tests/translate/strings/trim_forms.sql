-- trim, ltrim, rtrim, btrim and trim(both 'x' from s)
SELECT trim(name), ltrim(name), rtrim(name), btrim(name, 'x'), trim(both '-' from city), trim(leading 'B' from city) FROM customers
