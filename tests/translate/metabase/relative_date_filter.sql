-- Metabase: filter created_at to the previous 30 days
SELECT count(*) AS "count" FROM "public"."orders" WHERE ("public"."orders"."created_at" >= CAST((now() + INTERVAL '-30 day') AS date)) AND ("public"."orders"."created_at" < CAST(now() AS date))
