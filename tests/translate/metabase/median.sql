-- Metabase: median as percentile_cont
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY "public"."orders"."total") AS "median" FROM "public"."orders"
