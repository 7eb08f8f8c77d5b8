-- Metabase: a custom column dividing two sums (CASE guards division by zero)
SELECT "public"."orders"."status" AS "status", CASE WHEN sum("public"."orders"."item_count") = 0 THEN NULL ELSE sum("public"."orders"."total") / sum("public"."orders"."item_count") END AS "Avg price" FROM "public"."orders" GROUP BY "public"."orders"."status" ORDER BY "public"."orders"."status" ASC
