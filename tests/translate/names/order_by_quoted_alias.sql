-- ORDER BY a quoted, mixed-case alias
SELECT total AS "Amount" FROM orders ORDER BY "Amount" DESC
