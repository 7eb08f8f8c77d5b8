-- Metabase: by hour of day
SELECT CAST(extract(hour from "public"."orders"."created_at") AS integer) AS "created_at", avg("public"."orders"."total") AS "avg" FROM "public"."orders" GROUP BY CAST(extract(hour from "public"."orders"."created_at") AS integer) ORDER BY CAST(extract(hour from "public"."orders"."created_at") AS integer) ASC
