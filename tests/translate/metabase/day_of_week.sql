-- Metabase: by day of week (Sunday = 1)
SELECT CAST(extract(dow from "public"."orders"."created_at") AS integer) + 1 AS "created_at", count(*) AS "count" FROM "public"."orders" GROUP BY CAST(extract(dow from "public"."orders"."created_at") AS integer) + 1 ORDER BY CAST(extract(dow from "public"."orders"."created_at") AS integer) + 1 ASC
