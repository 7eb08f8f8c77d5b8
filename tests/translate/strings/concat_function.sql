-- concat() skips NULLs (unlike ||)
SELECT concat(name, ' <', email, '>') FROM customers
