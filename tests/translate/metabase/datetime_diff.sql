-- Metabase: a datetimeDiff custom column in days (timestamp subtraction)
SELECT "public"."orders"."id" AS "id", EXTRACT(EPOCH FROM ("public"."orders"."shipped_at" - "public"."orders"."created_at")) / 86400 AS "days_to_ship" FROM "public"."orders" LIMIT 2000
