-- Orders without tags: cardinality(tags) = 0
SELECT id FROM orders WHERE cardinality(tags) = 0
