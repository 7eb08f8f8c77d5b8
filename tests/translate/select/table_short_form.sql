-- TABLE x is SELECT * FROM x
TABLE customers
