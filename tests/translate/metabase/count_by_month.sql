-- Metabase: count by created_at: month
SELECT date_trunc('month', "public"."orders"."created_at") AS "created_at", count(*) AS "count" FROM "public"."orders" GROUP BY date_trunc('month', "public"."orders"."created_at") ORDER BY date_trunc('month', "public"."orders"."created_at") ASC
