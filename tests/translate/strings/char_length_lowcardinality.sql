-- char_length of a LowCardinality column
SELECT char_length(country) FROM customers
