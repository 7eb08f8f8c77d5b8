-- pg_catalog goes to the catalog engine
SELECT relname FROM pg_catalog.pg_class
