-- make_date(y, m, d)
SELECT make_date(2024, 2, 29) AS leap FROM orders LIMIT 1
