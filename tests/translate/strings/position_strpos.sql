-- position(a IN b) and strpos(b, a) are 1-based, 0 when absent
SELECT position('@' IN email) AS at, strpos(email, '.') AS dot FROM customers
