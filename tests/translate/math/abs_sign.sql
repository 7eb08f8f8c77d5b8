-- abs and sign
SELECT abs(total - 100), sign(total - 100), sign(total::float8) FROM orders
