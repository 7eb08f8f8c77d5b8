-- Metabase: a JSON column unfolded into a nested field (#>> with a text[] path)
SELECT ("public"."events"."payload"#>> array['utm','source']::text[])::text AS "payload → utm → source", count(*) AS "count" FROM "public"."events" GROUP BY ("public"."events"."payload"#>> array['utm','source']::text[])::text ORDER BY ("public"."events"."payload"#>> array['utm','source']::text[])::text ASC
