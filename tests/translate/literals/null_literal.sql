-- NULL in the select list
SELECT id, NULL AS nothing FROM orders
