-- Metabase: sum of total by created_at: day (CAST AS date)
SELECT CAST("public"."orders"."created_at" AS date) AS "created_at", sum("public"."orders"."total") AS "sum" FROM "public"."orders" GROUP BY CAST("public"."orders"."created_at" AS date) ORDER BY CAST("public"."orders"."created_at" AS date) ASC
