-- substring(x FROM a FOR b), substr(x, a, b) and substring(x, a)
SELECT substring(name FROM 2 FOR 3) AS a, substr(name, 1, 1) AS b, substring(name, 3) AS c FROM customers
