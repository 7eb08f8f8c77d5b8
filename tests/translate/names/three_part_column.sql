-- A column qualified by schema and table, as Metabase writes it
SELECT "public"."orders"."id" FROM "public"."orders"
