-- Metabase: is not empty and is one of
SELECT count(*) AS "count" FROM "public"."orders" WHERE ("public"."orders"."coupon" IS NOT NULL) AND ("public"."orders"."coupon" <> '') AND (("public"."orders"."status" = 'paid') OR ("public"."orders"."status" = 'shipped'))
