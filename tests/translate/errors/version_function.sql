-- version() goes to the catalog engine
SELECT version()
