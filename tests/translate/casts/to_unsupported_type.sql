-- A cast to a type pipegate does not know: 0A000
SELECT total::money FROM orders
