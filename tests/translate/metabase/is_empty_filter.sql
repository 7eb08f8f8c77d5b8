-- Metabase: is empty (NULL or '')
SELECT count(*) AS "count" FROM "public"."customers" WHERE ("public"."customers"."email" IS NULL) OR ("public"."customers"."email" = '')
