-- A relation that is not a datasource: 42P01
SELECT * FROM invoices
