-- lpad and rpad, with and without a fill
SELECT lpad(id::text, 8, '0') AS padded, rpad(name, 10) AS name10 FROM customers
