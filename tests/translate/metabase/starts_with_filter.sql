-- Metabase: starts-with filter, case sensitive
SELECT count(*) AS "count" FROM "public"."events" WHERE "public"."events"."pathname" LIKE '/blog%'
