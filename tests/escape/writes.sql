-- Writes, DDL and privilege changes, some of them hidden behind a harmless statement or a
-- comment: refused as in a read-only transaction (25006), as PostgreSQL does under
-- `default_transaction_read_only`, and never forwarded to ClickHouse. Where PostgreSQL's
-- grammar rejects the ClickHouse spelling (ALTER TABLE ... DELETE), resolves the relations
-- first (INSERT ... SELECT, CREATE TABLE AS) or checks privileges first (COPY FROM a server
-- file), the case also accepts that answer.
-- The format is corpus.sql's (see its header).

-- case: select_then_drop (25006) simple-only
SELECT 1; DROP TABLE events

-- case: block_comment_then_drop (25006) simple-only
SELECT 1 /* harmless */; DROP TABLE events

-- case: line_comment_then_drop (25006) simple-only
SELECT 1 -- harmless
; DROP TABLE events

-- case: string_with_semicolon_then_drop (25006) simple-only
SELECT 'a;b'; DROP TABLE events

-- case: drop_table (25006)
DROP TABLE events

-- case: drop_table_out_of_scope (25006)
DROP TABLE user_events

-- case: drop_database (25006)
DROP DATABASE pipegate

-- case: truncate (25006)
TRUNCATE events

-- case: delete (25006)
DELETE FROM events WHERE true

-- case: update (25006)
UPDATE events SET pathname = '/'

-- case: insert_select_system (25006 42P01 42501)
INSERT INTO events (pathname) SELECT name FROM system.tables

-- case: create_table_as_system (25006 42P01 42501)
CREATE TABLE stolen AS SELECT * FROM system.users

-- case: create_view_over_url (25006)
CREATE VIEW v AS SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString')

-- case: create_function (25006)
CREATE FUNCTION f() RETURNS int AS 'SELECT 1' LANGUAGE sql

-- case: select_into (25006)
-- SELECT INTO creates a table in PostgreSQL.
SELECT * INTO stolen FROM events

-- case: select_for_update (25006)
SELECT * FROM events FOR UPDATE

-- case: cte_delete (25006)
WITH d AS (DELETE FROM events RETURNING *) SELECT count(*) FROM d

-- case: alter_table_delete_mutation (25006 42601)
ALTER TABLE events DELETE WHERE 1 = 1

-- case: alter_table_update_mutation (25006 42601)
ALTER TABLE events UPDATE pathname = '/' WHERE 1 = 1

-- case: copy_from_file (25006 42501)
COPY events FROM '/etc/passwd'

-- case: copy_from_program (25006 42501)
COPY events FROM PROGRAM 'id'

-- case: grant (25006)
GRANT SELECT ON user_events TO web_read

-- case: create_role (25006)
CREATE ROLE intruder SUPERUSER

-- case: alter_role (25006)
ALTER ROLE web_read SUPERUSER
