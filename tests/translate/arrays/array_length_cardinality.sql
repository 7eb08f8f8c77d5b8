-- array_length(a, 1) and cardinality(a): NULL for an empty array in array_length
SELECT array_length(tags, 1), cardinality(tags) FROM orders
