-- Metabase: a case-insensitive contains filter (LOWER ... LIKE)
SELECT "public"."customers"."id" AS "id", "public"."customers"."name" AS "name" FROM "public"."customers" WHERE LOWER("public"."customers"."name") LIKE '%smith%' LIMIT 2000
