-- Metabase: Share of rows as SUM(CASE ...) / COUNT(*)
SELECT SUM(CASE WHEN "public"."orders"."status" = 'paid' THEN 1 ELSE 0.0 END) / COUNT(*) AS "share" FROM "public"."orders"
