-- An Enum8 column compares with its labels as text
SELECT id, segment FROM customers WHERE segment = 'corporate'
