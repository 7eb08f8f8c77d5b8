-- Metabase: a raw table view, fully qualified columns, LIMIT 2000
SELECT "public"."orders"."id" AS "id", "public"."orders"."customer_id" AS "customer_id", "public"."orders"."status" AS "status", "public"."orders"."total" AS "total", "public"."orders"."created_at" AS "created_at" FROM "public"."orders" LIMIT 2000
