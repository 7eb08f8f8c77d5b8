-- Metabase: a nested question wraps the source query as "source"
SELECT "source"."status" AS "status", "source"."count" AS "count" FROM (SELECT "public"."orders"."status" AS "status", count(*) AS "count" FROM "public"."orders" GROUP BY "public"."orders"."status" ORDER BY "public"."orders"."status" ASC) AS "source" ORDER BY "source"."count" DESC, "source"."status" ASC LIMIT 1048575
