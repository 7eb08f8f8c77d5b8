-- ~* is case-insensitive
SELECT id FROM customers WHERE email ~* '@GMAIL\.com$'
