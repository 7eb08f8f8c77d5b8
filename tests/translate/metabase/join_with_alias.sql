-- Metabase: an explicit join, the joined table aliased by its display name
SELECT "public"."orders"."id" AS "id", "Customers"."name" AS "Customers__name" FROM "public"."orders" LEFT JOIN "public"."customers" AS "Customers" ON "public"."orders"."customer_id" = "Customers"."id" LIMIT 2000
