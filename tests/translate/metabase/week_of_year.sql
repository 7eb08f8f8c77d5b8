-- Metabase: by week of year
SELECT CEIL((CAST(extract(doy from "public"."orders"."created_at") AS integer) / 7.0)) AS "created_at", count(*) AS "count" FROM "public"."orders" GROUP BY CEIL((CAST(extract(doy from "public"."orders"."created_at") AS integer) / 7.0)) ORDER BY CEIL((CAST(extract(doy from "public"."orders"."created_at") AS integer) / 7.0)) ASC
