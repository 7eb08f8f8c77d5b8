-- Metabase: text fingerprinting with substring
SELECT substring("public"."customers"."email" FROM 1 FOR 1234) AS "substring1234" FROM "public"."customers" LIMIT 10000
