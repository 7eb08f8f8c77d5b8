-- Metabase: field values scan (distinct values of a category)
SELECT "public"."orders"."status" AS "status" FROM "public"."orders" GROUP BY "public"."orders"."status" ORDER BY "public"."orders"."status" ASC LIMIT 1000
