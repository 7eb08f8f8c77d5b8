-- lower and upper are UTF-8 aware
SELECT lower(name), upper(city) FROM customers
