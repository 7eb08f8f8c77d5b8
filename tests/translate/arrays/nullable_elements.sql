-- An Array(Nullable(Int32)) column
SELECT ratings, cardinality(ratings) FROM products
