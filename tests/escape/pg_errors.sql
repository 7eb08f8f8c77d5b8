-- Escape attempts PostgreSQL itself refuses with a code of its own: setting a ClickHouse
-- setting by name (42704 unrecognized configuration parameter: PostgreSQL accepts only its
-- own names and custom `a.b` ones), reading ClickHouse's tables through search_path (42P01)
-- and naming a table where PostgreSQL reads a column (`x IN (system.one)`, which ClickHouse
-- reads as the table: 42P01 missing FROM-clause entry, or 42703). The gateway must give
-- PostgreSQL's code, or refuse with 42501/0A000, as each case lists, and never reach
-- ClickHouse: a SET of a ClickHouse setting is answered (refused) by the session, never
-- forwarded, and later queries still run with readonly=2.
--
-- A SET the gateway legitimately answers itself (a PostgreSQL setting, a custom `a.b`
-- name such as `clickhouse.readonly`, `pipegate.param.*`) is not an escape and is not here.
-- The format is corpus.sql's (see its header).

-- case: set_readonly (42704)
SET readonly = 0

-- case: set_readonly_to (42704)
SET readonly TO 0

-- case: set_session_readonly (42704)
SET SESSION readonly = '0'

-- case: set_readonly_quoted (42704)
SET "readonly" = 0

-- case: set_max_execution_time (42704)
SET max_execution_time = 0

-- case: set_allow_ddl (42704)
SET allow_ddl = 1

-- case: set_max_result_rows (42704)
SET max_result_rows = 0

-- case: set_allow_introspection_functions (42704)
SET allow_introspection_functions = 1

-- case: set_then_read (42704) simple-only
-- The SET fails, so the query after it never runs.
SET readonly = 0; SELECT count(*) FROM events

-- case: reset_readonly (42704)
RESET readonly

-- case: show_readonly (42704)
SHOW readonly

-- case: show_tables (42704)
-- PostgreSQL reads SHOW TABLES as the setting "tables".
SHOW TABLES

-- case: show_databases (42704)
SHOW DATABASES

-- case: show_processlist (42704)
SHOW PROCESSLIST

-- case: show_grants (42704)
SHOW GRANTS

-- case: show_users (42704)
SHOW USERS

-- case: search_path_system (42P01) simple-only
-- search_path names schemas of the catalog, not ClickHouse databases.
SET search_path = system; SELECT * FROM tables

-- case: search_path_quoted (42P01) simple-only
SET search_path TO "system", "default"; SELECT * FROM one

-- case: search_path_clickhouse_database (42P01 42501) simple-only
SET search_path = '{database}'; SELECT * FROM user_events

-- case: in_qualified_table (42P01 42501 0A000)
-- ClickHouse reads `x IN (db.table)` as the table's rows.
SELECT count(*) FROM events WHERE 0 IN (system.one)

-- case: in_qualified_table_quoted (42P01 42501 0A000)
SELECT count(*) FROM events WHERE 0 IN ("system"."one")

-- case: not_in_qualified_table (42P01 42501 0A000)
SELECT count(*) FROM events WHERE 1 NOT IN (system.one)

-- case: in_own_database_table (42P01 42501 0A000)
SELECT count(*) FROM events WHERE (event, pathname) IN ("{database}".user_events)

-- case: in_unqualified_table (42703 42501 0A000)
-- An unqualified name resolves to a table of the current ClickHouse database.
SELECT count(*) FROM events WHERE pathname IN (user_events_quarantine)

-- case: in_qualified_table_in_subquery (42P01 42501 0A000)
SELECT count(*) FROM (SELECT pathname FROM events WHERE 0 IN (system.one)) t

-- case: three_part_column (42P01 42501 0A000)
SELECT system.one.dummy FROM events
