-- information_schema goes to the catalog engine
SELECT table_name FROM information_schema.tables
