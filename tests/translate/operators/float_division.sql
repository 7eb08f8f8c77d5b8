-- float / int is float division
SELECT id, score / 2 FROM customers
