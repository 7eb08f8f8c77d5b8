-- md5 answers lower-case hex
SELECT md5(email) FROM customers
