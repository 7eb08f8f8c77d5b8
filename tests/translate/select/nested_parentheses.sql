-- Redundant parentheses around expressions and predicates
SELECT ((total)) AS t FROM orders WHERE ((id > 10)) AND (((status = 'paid')))
