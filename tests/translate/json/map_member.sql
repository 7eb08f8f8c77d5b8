-- A Map column's member through ->>
SELECT attributes ->> 'tier' AS tier FROM customers
