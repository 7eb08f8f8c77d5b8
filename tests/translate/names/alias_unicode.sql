-- A non-ASCII alias
SELECT total AS "Umsatz €", status AS "État" FROM orders
