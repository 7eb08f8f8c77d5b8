-- concat_ws skips NULL arguments
SELECT concat_ws(', ', city, country) AS place FROM customers
