-- Metabase: auto-binned numeric breakout
SELECT (FLOOR((("public"."orders"."total" - 0.0) / 125.0)) * 125.0) + 0.0 AS "total", count(*) AS "count" FROM "public"."orders" GROUP BY (FLOOR((("public"."orders"."total" - 0.0) / 125.0)) * 125.0) + 0.0 ORDER BY (FLOOR((("public"."orders"."total" - 0.0) / 125.0)) * 125.0) + 0.0 ASC
