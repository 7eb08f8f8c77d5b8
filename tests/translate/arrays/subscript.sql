-- arr[i] is 1-based and NULL out of bounds
SELECT tags[1] AS first_tag, tags[100] AS none FROM orders
