-- Metabase: by quarter of year
SELECT CAST(extract(quarter from "public"."orders"."created_at") AS integer) AS "created_at", count(*) AS "count" FROM "public"."orders" GROUP BY CAST(extract(quarter from "public"."orders"."created_at") AS integer) ORDER BY CAST(extract(quarter from "public"."orders"."created_at") AS integer) ASC
