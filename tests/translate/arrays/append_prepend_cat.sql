-- array_append, array_prepend and array_cat
SELECT array_append(tags, 'x'), array_prepend('y', tags), array_cat(tags, tags) FROM orders
