-- Metabase: number between filter
SELECT count(*) AS "count" FROM "public"."orders" WHERE "public"."orders"."total" BETWEEN 10 AND 100
