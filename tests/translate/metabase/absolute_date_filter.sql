-- Metabase: a specific date range with timestamp literals
SELECT "public"."orders"."id" AS "id" FROM "public"."orders" WHERE ("public"."orders"."created_at" >= timestamp '2024-01-01 00:00:00.000') AND ("public"."orders"."created_at" < timestamp '2024-02-01 00:00:00.000') LIMIT 2000
