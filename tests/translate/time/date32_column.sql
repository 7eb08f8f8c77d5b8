-- A Date32 column (birth dates before 1970)
SELECT id, birth_date, extract(year FROM birth_date) AS born FROM customers WHERE birth_date < DATE '1960-01-01'
