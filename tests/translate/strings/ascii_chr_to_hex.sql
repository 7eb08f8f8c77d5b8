-- ascii, chr and to_hex
SELECT ascii(name), chr(65 + (id % 26)::int), to_hex(id) FROM customers
