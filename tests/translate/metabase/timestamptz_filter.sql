-- Metabase: filter on a timestamptz column with a zoned literal
SELECT count(*) AS "count" FROM "public"."orders" WHERE ("public"."orders"."shipped_at" >= timestamp with time zone '2024-01-01 00:00:00.000Z') AND ("public"."orders"."shipped_at" < timestamp with time zone '2024-02-01 00:00:00.000Z')
