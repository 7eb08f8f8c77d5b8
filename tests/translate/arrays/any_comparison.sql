-- x > ANY and x < ALL over an array
SELECT id FROM products WHERE 4 > ANY (ratings) AND 0 < ALL (ratings)
