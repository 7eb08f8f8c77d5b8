-- Metabase: the permission probe run during sync
SELECT TRUE AS "_" FROM "public"."orders" WHERE 1 <> 1 LIMIT 0
