-- Metabase: distinct values count
SELECT count(distinct "public"."orders"."customer_id") AS "count" FROM "public"."orders"
