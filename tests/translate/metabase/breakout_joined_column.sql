-- Metabase: sum by a joined table's column
SELECT "Customers"."country" AS "Customers__country", sum("public"."orders"."total") AS "sum" FROM "public"."orders" LEFT JOIN "public"."customers" AS "Customers" ON "public"."orders"."customer_id" = "Customers"."id" GROUP BY "Customers"."country" ORDER BY "Customers"."country" ASC
