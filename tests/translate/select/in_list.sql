-- IN with a list of string literals
SELECT id, status FROM orders WHERE status IN ('paid', 'shipped')
