-- ClickHouse-only syntax that would change how ClickHouse runs a query (SETTINGS, FORMAT,
-- INTO OUTFILE, query parameters), read beyond the project (backtick-quoted system tables,
-- `IN table`, GLOBAL subqueries) or act on the server (DESCRIBE, SHOW CREATE, KILL, SYSTEM,
-- OPTIMIZE, ATTACH, DETACH, ...). PostgreSQL's grammar rejects every one of them, so
-- PostgreSQL's answer is 42601 (syntax error); the gateway may give that, or refuse the
-- statement as unsupported (0A000), out of scope (42501) or a write (25006), as each case
-- lists. None may ever reach ClickHouse.
--
-- The format is corpus.sql's (see its header). PREWHERE, ARRAY JOIN, LIMIT BY, WITH TOTALS,
-- FINAL and SAMPLE are harmless read modifiers on the project's own datasource; they are
-- here only because PostgreSQL cannot parse them, and a translator that forwarded them
-- unread would forward the rest of the text too.

-- case: settings_readonly (42601 0A000)
SELECT count(*) FROM events SETTINGS readonly = 0

-- case: settings_limits (42601 0A000)
SELECT count(*) FROM events SETTINGS max_execution_time = 0, max_result_rows = 0, max_result_bytes = 0

-- case: settings_after_block_comment (42601 0A000)
SELECT count(*) FROM events /* harmless */ SETTINGS readonly = 0

-- case: settings_after_line_comment (42601 0A000)
SELECT count(*) FROM events -- harmless
SETTINGS readonly = 0

-- case: settings_in_subquery (42601 0A000)
SELECT * FROM (SELECT count(*) FROM events SETTINGS readonly = 0) t

-- case: settings_introspection (42601 0A000)
SELECT count(*) FROM events SETTINGS allow_introspection_functions = 1

-- case: format_tab_separated (42601 0A000)
SELECT * FROM events FORMAT TabSeparated

-- case: format_native (42601 0A000)
SELECT * FROM events FORMAT Native

-- case: into_outfile (42601 0A000)
SELECT * FROM events INTO OUTFILE '/tmp/pipegate-escape'

-- case: into_outfile_before_from (42601 0A000 25006)
SELECT * INTO OUTFILE '/tmp/pipegate-escape' FROM events

-- case: query_parameter_identifier (42601 0A000)
SELECT * FROM {db:Identifier}.tables

-- case: default_database (42601 0A000 42501)
-- DEFAULT is a reserved word in PostgreSQL; quoted, the name is in corpus.sql.
SELECT * FROM default.events

-- case: backtick_table_function (42601 0A000)
SELECT * FROM `url`('http://127.0.0.1:1/', 'LineAsString')

-- case: backtick_system_tables (42601 0A000 42501)
SELECT * FROM `system`.`tables`

-- case: backtick_information_schema (42601 0A000 42501)
SELECT * FROM `INFORMATION_SCHEMA`.`TABLES`

-- case: in_table_without_parentheses (42601 0A000 42501)
SELECT count(*) FROM events WHERE 0 IN system.one

-- case: global_in (42601 0A000 42501)
SELECT count(*) FROM events WHERE pathname GLOBAL IN (SELECT name FROM system.tables)

-- case: any_left_join (42601 0A000 42501)
SELECT * FROM events ANY LEFT JOIN system.one ON true

-- case: clickhouse_with_expression (42601 0A000 42501)
-- ClickHouse's `WITH <expression> AS <name>`.
WITH (SELECT count(*) FROM system.tables) AS n SELECT n FROM events

-- case: prewhere (42601 0A000)
SELECT * FROM events PREWHERE event = 'page_view'

-- case: array_join (42601 0A000)
SELECT t FROM events ARRAY JOIN tags AS t

-- case: left_array_join (42601 0A000)
SELECT t FROM events LEFT ARRAY JOIN tags AS t

-- case: limit_by (42601 0A000)
SELECT * FROM events LIMIT 1 BY pathname

-- case: with_totals (42601 0A000)
SELECT event, count(*) FROM events GROUP BY event WITH TOTALS

-- case: sample (42601 0A000)
SELECT count(*) FROM events SAMPLE 0.1

-- case: final_after_alias (42601 0A000)
SELECT * FROM events AS e FINAL

-- case: describe (42601 0A000 42501)
DESCRIBE TABLE system.tables

-- case: desc (42601 0A000 42501)
DESC system.users

-- case: explain_syntax (42601 0A000 42501)
EXPLAIN SYNTAX SELECT * FROM system.tables

-- case: explain_pipeline (42601 0A000 42501)
EXPLAIN PIPELINE SELECT * FROM events

-- case: show_create_table (42601 0A000)
SHOW CREATE TABLE events

-- case: show_create_user (42601 0A000)
SHOW CREATE USER default

-- case: exists_table (42601 0A000 42501)
EXISTS TABLE system.users

-- case: use_database (42601 0A000 42501)
USE system

-- case: kill_query (42601 0A000 42501)
-- Another client's query, by the gateway's own query ids.
KILL QUERY WHERE query_id LIKE 'pipegate-%' SYNC

-- case: system_reload_config (42601 0A000 42501)
SYSTEM RELOAD CONFIG

-- case: system_shutdown (42601 0A000 42501)
SYSTEM SHUTDOWN

-- case: system_drop_caches (42601 0A000 42501)
SYSTEM DROP MARK CACHE

-- case: optimize (42601 0A000 25006)
OPTIMIZE TABLE events FINAL

-- case: attach (42601 0A000 25006)
ATTACH TABLE stolen FROM '/etc' (line String) ENGINE = File(LineAsString)

-- case: detach (42601 0A000 25006)
DETACH TABLE events

-- case: exchange (42601 0A000 25006)
EXCHANGE TABLES events AND user_events

-- case: rename (42601 0A000 25006)
RENAME TABLE user_events TO events_copy

-- case: insert_into_function (42601 0A000 25006)
INSERT INTO FUNCTION file('/tmp/pipegate-escape', 'CSV') SELECT * FROM events

-- case: check_table (42601 0A000 42501)
CHECK TABLE user_events

-- case: watch (42601 0A000 42501)
WATCH some_live_view
