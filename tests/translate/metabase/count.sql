-- Metabase: count of rows
SELECT count(*) AS "count" FROM "public"."orders"
