-- Metabase: CountIf as SUM(CASE ... THEN 1 ELSE 0.0 END)
SELECT SUM(CASE WHEN "public"."orders"."is_gift" = TRUE THEN 1 ELSE 0.0 END) AS "count_where" FROM "public"."orders"
