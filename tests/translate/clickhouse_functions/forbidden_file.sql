-- file() is refused: 42501
SELECT * FROM orders WHERE status = file('/etc/passwd')
