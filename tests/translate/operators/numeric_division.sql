-- numeric / int keeps digits: divideDecimal
SELECT id, total / 3 AS third FROM orders
