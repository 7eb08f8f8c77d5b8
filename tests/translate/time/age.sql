-- age() answers an interval: refused (0A000)
SELECT age(birth_date) FROM customers
