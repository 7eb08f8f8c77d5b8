-- ClickHouse's FINAL modifier: PostgreSQL reads FINAL as a table alias, and so does the translator
SELECT id FROM orders FINAL
