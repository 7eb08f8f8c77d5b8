-- substr with a start before 1 counts the missing positions (substr('hello', 0, 3) is 'he')
SELECT substr(name, 0, 3) FROM customers
