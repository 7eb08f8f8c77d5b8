-- length counts characters, octet_length bytes
SELECT name, length(name) AS chars, octet_length(name) AS bytes FROM customers
