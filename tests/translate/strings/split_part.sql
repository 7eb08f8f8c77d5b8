-- split_part(s, delim, n)
SELECT split_part(email, '@', 2) AS domain FROM customers
