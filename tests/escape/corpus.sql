-- The escape corpus: statements a client holding a valid read-only token (`web_read`, which
-- may read the datasource `events` and the pipes `kpis` and `top_pages`, and nothing else)
-- might send over the Postgres door to reach anything beyond them: other tables, other
-- databases, ClickHouse's `system` database, files, the network, other servers,
-- dictionaries, the server's identity and configuration. Every case is valid PostgreSQL
-- syntax (PostgreSQL 15 parses each one), so PostgreSQL's grammar alone does not stop it.
-- Each must be refused with 42501 (insufficient privilege) or 0A000 (feature not
-- supported), through both the simple and the extended protocol, and must never reach
-- ClickHouse. tests/it/escape.rs runs them; adding a case needs no Rust.
--
-- Format: a case starts with a line `-- case: <name> (<codes>)`, where <codes> are the
-- accepted SQLSTATEs separated by spaces (in this file only 42501 and 0A000), optionally
-- followed by `simple-only` for several statements in one string (the extended protocol
-- cannot prepare them). The `--` lines right after it say what the case tries; the SQL is
-- the rest, up to the next `-- case:` line (leading and trailing `--` lines are not part of
-- it, comments inside it are). `{database}` stands for the test's ClickHouse database (the
-- one holding the project's tables). Names start with their category: `tf_` table
-- functions, `sys_` ClickHouse's system database, `db_` other databases and qualified
-- names, `scope_` project objects outside the token's scope, `fn_` scalar functions,
-- `stmt_` statements around a query, `role_` privilege changes.
--
-- Decisions on the debatable cases:
-- - A scalar function is an escape when it reads a file, the network, a dictionary or
--   another table, or tells the client something about the server it has no business
--   knowing: the host (hostName, displayName, getMacro, serverUUID, getOSKernelVersion), its
--   disks (filesystemAvailable/Capacity), its ports (tcpPort, getServerPort), its settings
--   (getSetting and friends, globalVariable), the ClickHouse account and roles the gateway
--   uses (currentUser, currentProfiles, currentRoles), or the name of the ClickHouse
--   database behind the project (currentDatabase, currentSchemas: PostgreSQL's own
--   current_database() must say `pipegate`). These are refused with 42501 (PostgreSQL's
--   "permission denied for function"), not 42883: the function exists, the token may not
--   run it.
-- - Not escapes, so not here: PostgreSQL's version(), current_user, current_database()
--   (the catalog engine answers them as PostgreSQL would); ClickHouse's uptime(),
--   buildId(), version() under another spelling, queryID(), timezone(): they tell nothing
--   about other objects and nothing an attacker can use; sleepEachRow (allowlisted on
--   purpose, bounded by the statement timeout).
-- - `FROM events final` and `FROM events sample` are valid PostgreSQL (an alias): they
--   must work, so they are not here. SETTINGS, FORMAT, PREWHERE, ARRAY JOIN, LIMIT BY, WITH
--   TOTALS, INTO OUTFILE and backtick quoting are PostgreSQL syntax errors (42601): see
--   clickhouse_syntax.sql. SET/SHOW of ClickHouse settings get PostgreSQL's 42704: see
--   pg_errors.sql. Writes (25006): writes.sql. Values that must come back exactly (string
--   escapes, quoted aliases, bound parameters): literals.sql.
-- - A datasource or pipe of the project outside the token's scope is 42501 (DESIGN:
--   "names out of scope are 42501"), never 42P01; so is the quarantine table of an
--   out-of-scope datasource (deploy creates it in the project's database).
-- - A three-part name with a wrong catalog is "cross-database references are not
--   implemented" (0A000) in PostgreSQL; pipegate's rule for names outside `public` gives
--   42501. Either is accepted.
-- - ClickHouse's own INFORMATION_SCHEMA spelled as ClickHouse spells it (quoted upper
--   case) is not PostgreSQL's information_schema, so it is a schema outside the project.
--   Plain information_schema / pg_catalog reads are left out: the catalog engine answers
--   those.

-- case: tf_url (42501 0A000)
-- url() in FROM: an HTTP request from the ClickHouse server (SSRF).
SELECT * FROM url('http://127.0.0.1:1/', 'CSV', 'a String')

-- case: tf_url_upper (42501 0A000)
-- URL() folds to url() in PostgreSQL; ClickHouse matches it case-insensitively.
SELECT * FROM URL('http://169.254.169.254/latest/meta-data/', 'LineAsString')

-- case: tf_url_mixed_case (42501 0A000)
SELECT * FROM Url('http://127.0.0.1:1/', 'LineAsString')

-- case: tf_url_quoted (42501 0A000)
-- A quoted function name keeps its case.
SELECT * FROM "url"('http://127.0.0.1:1/', 'LineAsString')

-- case: tf_url_quoted_upper (42501 0A000)
SELECT * FROM "URL"('http://127.0.0.1:1/', 'LineAsString')

-- case: tf_url_schema_qualified (42501 0A000)
-- A table function dressed as a function of schema public.
SELECT * FROM public.url('http://127.0.0.1:1/', 'LineAsString')

-- case: tf_remote (42501 0A000)
-- remote(): another server, or this one through its native port as another user.
SELECT * FROM remote('127.0.0.1:9000', 'system', 'users')

-- case: tf_remote_secure (42501 0A000)
SELECT * FROM remoteSecure('127.0.0.1:9440', 'system', 'users', 'default', '')

-- case: tf_cluster (42501 0A000)
SELECT * FROM cluster('default', system.one)

-- case: tf_cluster_all_replicas (42501 0A000)
SELECT * FROM clusterAllReplicas('default', 'system', 'one')

-- case: tf_file (42501 0A000)
-- file(): the server's user_files.
SELECT * FROM file('/etc/passwd', 'LineAsString')

-- case: tf_file_quoted (42501 0A000)
SELECT * FROM "file"('../../../../etc/passwd', 'LineAsString', 'line String')

-- case: tf_s3 (42501 0A000)
SELECT * FROM s3('https://bucket.s3.amazonaws.com/data.csv', 'CSV')

-- case: tf_s3_cluster (42501 0A000)
SELECT * FROM s3Cluster('default', 'https://bucket.s3.amazonaws.com/data.csv', 'CSV')

-- case: tf_hdfs (42501 0A000)
SELECT * FROM hdfs('hdfs://127.0.0.1:9000/data.csv', 'CSV', 'a String')

-- case: tf_mysql (42501 0A000)
SELECT * FROM mysql('127.0.0.1:3306', 'db', 't', 'root', '')

-- case: tf_postgresql (42501 0A000)
SELECT * FROM postgresql('127.0.0.1:5432', 'postgres', 'pg_authid', 'postgres', '')

-- case: tf_jdbc (42501 0A000)
SELECT * FROM jdbc('jdbc:mysql://127.0.0.1:3306/?user=root', 'db', 't')

-- case: tf_odbc (42501 0A000)
SELECT * FROM odbc('DSN=x', 'db', 't')

-- case: tf_sqlite (42501 0A000)
SELECT * FROM sqlite('/var/lib/clickhouse/x.db', 't')

-- case: tf_mongodb (42501 0A000)
SELECT * FROM mongodb('127.0.0.1:27017', 'db', 'c', 'u', 'p', 'a String')

-- case: tf_redis (42501 0A000)
SELECT * FROM redis('127.0.0.1:6379', 'k', 'k String, v String')

-- case: tf_executable (42501 0A000)
-- executable(): runs a program on the server.
SELECT * FROM executable('cat /etc/passwd', 'LineAsString', 'line String')

-- case: tf_input (42501 0A000)
SELECT * FROM input('a String')

-- case: tf_numbers (42501 0A000)
-- Generators are not the project's data either, and numbers() without a limit never ends.
SELECT * FROM numbers(10)

-- case: tf_numbers_mt (42501 0A000)
SELECT count(*) FROM numbers_mt(1000000000000)

-- case: tf_zeros (42501 0A000)
SELECT * FROM zeros(10)

-- case: tf_generate_random (42501 0A000)
SELECT * FROM generateRandom('a String', 1, 10, 2)

-- case: tf_merge (42501 0A000)
-- merge(): every table of a database whose name matches.
SELECT * FROM merge('system', '^(users|tables)$')

-- case: tf_merge_own_database (42501 0A000)
-- merge() over the project's own database reads user_events too.
SELECT * FROM merge('{database}', '.*')

-- case: tf_view (42501 0A000)
SELECT * FROM view((SELECT name FROM system.tables))

-- case: tf_dictionary (42501 0A000)
SELECT * FROM dictionary('some_dictionary')

-- case: tf_loop (42501 0A000)
SELECT * FROM loop(events)

-- case: tf_azure_blob_storage (42501 0A000)
SELECT * FROM azureBlobStorage('DefaultEndpointsProtocol=http;AccountName=a;AccountKey=k', 'c', 'b.csv')

-- case: tf_iceberg (42501 0A000)
SELECT * FROM iceberg('http://127.0.0.1:1/warehouse/t')

-- case: tf_iceberg_s3 (42501 0A000)
SELECT * FROM icebergS3('http://127.0.0.1:1/warehouse/t')

-- case: tf_delta_lake (42501 0A000)
SELECT * FROM deltaLake('http://127.0.0.1:1/t')

-- case: tf_hudi (42501 0A000)
SELECT * FROM hudi('http://127.0.0.1:1/t')

-- case: tf_gcs (42501 0A000)
SELECT * FROM gcs('https://storage.googleapis.com/b/x.csv', 'CSV')

-- case: tf_url_cluster (42501 0A000)
SELECT * FROM urlCluster('default', 'http://127.0.0.1:1/', 'CSV')

-- case: tf_merge_tree_index (42501 0A000)
SELECT * FROM mergeTreeIndex('{database}', 'user_events')

-- case: tf_in_join (42501 0A000)
SELECT e.pathname FROM events e JOIN url('http://127.0.0.1:1/', 'LineAsString') u ON true

-- case: tf_in_left_join (42501 0A000)
SELECT e.pathname FROM events e LEFT JOIN file('/etc/passwd', 'LineAsString') f ON true

-- case: tf_in_comma_join (42501 0A000)
SELECT * FROM events, s3('https://bucket.s3.amazonaws.com/data.csv', 'CSV')

-- case: tf_in_derived_table (42501 0A000)
SELECT * FROM (SELECT * FROM file('/etc/passwd', 'LineAsString')) t

-- case: tf_in_cte (42501 0A000)
WITH r AS (SELECT * FROM remote('127.0.0.1:9000', 'system', 'users')) SELECT * FROM r

-- case: tf_in_scalar_subquery (42501 0A000)
SELECT (SELECT count(*) FROM s3('https://bucket.s3.amazonaws.com/data.csv', 'CSV')) FROM events

-- case: tf_in_in_subquery (42501 0A000)
SELECT count(*) FROM events WHERE pathname IN (SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString'))

-- case: tf_in_exists (42501 0A000)
SELECT count(*) FROM events WHERE EXISTS (SELECT 1 FROM executable('id', 'LineAsString', 'x String'))

-- case: tf_in_union_arm (42501 0A000)
SELECT pathname FROM events UNION ALL SELECT * FROM file('/etc/passwd', 'LineAsString')

-- case: tf_in_lateral (42501 0A000)
SELECT * FROM events e, LATERAL (SELECT * FROM numbers(1)) n

-- case: tf_with_ordinality (42501 0A000)
SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString') WITH ORDINALITY

-- case: sys_tables (42501 0A000)
SELECT * FROM system.tables

-- case: sys_users (42501 0A000)
SELECT name FROM system.users

-- case: sys_query_log (42501 0A000)
-- Other clients' queries, with their literals.
SELECT query FROM system.query_log

-- case: sys_processes (42501 0A000)
SELECT query, user FROM system.processes

-- case: sys_settings (42501 0A000)
SELECT name, value FROM system.settings WHERE changed

-- case: sys_one (42501 0A000)
SELECT * FROM system.one

-- case: sys_databases (42501 0A000)
SELECT name FROM system.databases

-- case: sys_grants_and_macros (42501 0A000)
SELECT * FROM system.grants, system.macros

-- case: sys_upper_case (42501 0A000)
-- Unquoted names fold to lower case in PostgreSQL.
SELECT * FROM SYSTEM.TABLES

-- case: sys_mixed_case (42501 0A000)
SeLeCt * FrOm SyStEm.TaBlEs

-- case: sys_double_quoted (42501 0A000)
SELECT * FROM "system"."tables"

-- case: sys_quoted_schema_only (42501 0A000)
SELECT * FROM "system".tables

-- case: sys_quoted_table_only (42501 0A000)
SELECT * FROM system."tables"

-- case: sys_with_catalog (42501 0A000)
-- The right catalog does not make another schema readable.
SELECT * FROM pipegate.system.tables

-- case: sys_with_catalog_quoted (42501 0A000)
SELECT * FROM "pipegate"."system"."tables"

-- case: sys_unicode_escape (42501 0A000)
-- U&"\0073ystem" is "system".
SELECT * FROM U&"\0073ystem".tables

-- case: sys_unicode_escape_table (42501 0A000)
SELECT * FROM system.U&"\0074ables"

-- case: sys_spaces_around_dot (42501 0A000)
SELECT * FROM system . tables

-- case: sys_comments_around_dot (42501 0A000)
SELECT * FROM system/* a */./* b */tables

-- case: sys_line_comment_before_dot (42501 0A000)
SELECT * FROM system -- the schema
.tables

-- case: sys_nested_comment_hides_nothing (42501 0A000)
-- A nested comment closes only at its second `*/`: system.tables is outside it.
SELECT count(*) FROM events /* /* */ */ UNION ALL SELECT count(*) FROM system.tables

-- case: sys_table_short_form (42501 0A000)
-- `TABLE x` is PostgreSQL's short form of SELECT * FROM x.
TABLE system.tables

-- case: sys_aliased_as_datasource (42501 0A000)
SELECT * FROM system.tables AS events

-- case: sys_scalar_subquery (42501 0A000)
SELECT (SELECT count(*) FROM system.tables) FROM events

-- case: sys_scalar_subquery_no_from (42501 0A000)
SELECT (SELECT max(name) FROM system.users)

-- case: sys_in_subquery (42501 0A000)
SELECT count(*) FROM events WHERE pathname IN (SELECT name FROM system.tables)

-- case: sys_not_in_subquery (42501 0A000)
SELECT count(*) FROM events WHERE pathname NOT IN (SELECT name FROM system.databases)

-- case: sys_exists (42501 0A000)
SELECT count(*) FROM events WHERE EXISTS (SELECT 1 FROM system.users WHERE name = 'default')

-- case: sys_any_subquery (42501 0A000)
SELECT count(*) FROM events WHERE pathname = ANY (SELECT name FROM system.tables)

-- case: sys_lateral (42501 0A000)
SELECT * FROM events e, LATERAL (SELECT name FROM system.tables LIMIT 1) t

-- case: sys_cte (42501 0A000)
WITH t AS (SELECT * FROM system.tables) SELECT * FROM t

-- case: sys_cte_chain (42501 0A000)
WITH a AS (SELECT name FROM system.tables), b AS (SELECT * FROM a) SELECT * FROM events, b

-- case: sys_cte_named_like_datasource (42501 0A000)
WITH events AS (SELECT name AS pathname FROM system.tables) SELECT pathname FROM events

-- case: sys_union_arm (42501 0A000)
SELECT pathname FROM events UNION ALL SELECT name FROM system.tables

-- case: sys_intersect_arm (42501 0A000)
SELECT pathname FROM events INTERSECT SELECT name FROM system.tables

-- case: sys_except_arm (42501 0A000)
SELECT name FROM system.tables EXCEPT SELECT pathname FROM events

-- case: sys_join (42501 0A000)
SELECT e.pathname, t.name FROM events e JOIN system.tables t ON t.name = e.pathname

-- case: sys_left_join (42501 0A000)
SELECT * FROM events e LEFT JOIN system.users u ON true

-- case: sys_join_after_alias_global (42501 0A000)
-- GLOBAL is an alias in PostgreSQL; a translator that copied it would send GLOBAL JOIN.
SELECT * FROM events GLOBAL JOIN system.one ON true

-- case: sys_cross_join (42501 0A000)
SELECT * FROM events CROSS JOIN system.one

-- case: sys_parenthesized_join (42501 0A000)
SELECT * FROM (events e JOIN system.one o ON true)

-- case: sys_nested_derived_tables (42501 0A000)
SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT name FROM system.tables) a) b) c

-- case: sys_order_by_subquery (42501 0A000)
SELECT pathname FROM events ORDER BY (SELECT count(*) FROM system.tables)

-- case: sys_window_subquery (42501 0A000)
SELECT count(*) OVER (PARTITION BY (SELECT dummy FROM system.one)) FROM events

-- case: sys_having_subquery (42501 0A000)
SELECT event FROM events GROUP BY event HAVING count(*) > (SELECT count(*) FROM system.tables)

-- case: sys_case_exists (42501 0A000)
SELECT CASE WHEN EXISTS (SELECT 1 FROM system.users) THEN 'yes' END FROM events

-- case: sys_function_argument (42501 0A000)
SELECT coalesce((SELECT max(name) FROM system.users), '') FROM events

-- case: sys_limit_subquery (42501 0A000)
SELECT * FROM events LIMIT (SELECT count(*) FROM system.tables)

-- case: sys_array_subquery (42501 0A000)
SELECT ARRAY(SELECT name FROM system.tables) FROM events

-- case: sys_information_schema_clickhouse_spelling (42501 0A000)
-- ClickHouse's INFORMATION_SCHEMA database, quoted as ClickHouse spells it.
SELECT * FROM "INFORMATION_SCHEMA"."TABLES"

-- case: db_default_quoted (42501 0A000)
SELECT * FROM "default"."events"

-- case: db_own_database_other_table (42501 0A000)
-- The ClickHouse database behind the project, named directly: user_events is out of scope.
SELECT * FROM {database}.user_events

-- case: db_own_database_own_table (42501 0A000)
-- Even the token's own datasource is not readable by its ClickHouse name.
SELECT count(*) FROM "{database}"."events"

-- case: db_guessed_test_database (42501 0A000)
SELECT * FROM t_xyz.events

-- case: db_internal_database (42501 0A000)
SELECT * FROM "_temporary_and_external_tables".t

-- case: db_wrong_catalog (42501 0A000)
SELECT * FROM postgres.public.events

-- case: db_clickhouse_database_as_catalog (42501 0A000)
SELECT * FROM {database}.public.events

-- case: db_system_as_catalog (42501 0A000)
SELECT * FROM system.public.events

-- case: db_subquery (42501 0A000)
SELECT count(*) FROM events WHERE pathname IN (SELECT name FROM "default".t)

-- case: scope_user_events (42501)
-- A datasource of the project that web_read has no scope on.
SELECT * FROM user_events

-- case: scope_user_events_upper (42501)
SELECT * FROM USER_EVENTS

-- case: scope_user_events_quoted (42501)
SELECT * FROM "user_events"

-- case: scope_user_events_public (42501)
SELECT * FROM public.user_events

-- case: scope_user_events_catalog (42501)
SELECT * FROM pipegate.public.user_events

-- case: scope_user_events_table_short_form (42501)
TABLE user_events

-- case: scope_user_events_join (42501)
SELECT e.pathname FROM events e JOIN user_events u ON u.user_id = e.visitor_id

-- case: scope_user_events_in_subquery (42501)
SELECT count(*) FROM events WHERE visitor_id IN (SELECT user_id FROM user_events)

-- case: scope_user_events_scalar_subquery (42501)
SELECT (SELECT count(*) FROM user_events)

-- case: scope_user_events_cte_shadowing (42501)
-- A CTE named like the token's datasource, reading the other one.
WITH events AS (SELECT * FROM user_events) SELECT * FROM events

-- case: scope_user_events_union_arm (42501)
SELECT visitor_id FROM events UNION SELECT user_id FROM user_events

-- case: scope_user_events_quarantine (42501)
-- The quarantine table deploy creates for the out-of-scope datasource.
SELECT * FROM user_events_quarantine

-- case: scope_pipe_out_of_scope (42501)
-- A pipe whose token is analytics_read, not web_read.
SELECT * FROM aggregate_user_events

-- case: scope_pipe_out_of_scope_with_params (42501)
SELECT * FROM aggregate_user_events(user_id => 'u1', date_from => '2026-01-01 00:00:00', date_to => '2027-01-01 00:00:00')

-- case: fn_file (42501 0A000)
-- The scalar file(): the contents of a server file as a String.
SELECT file('/etc/passwd') FROM events

-- case: fn_file_upper (42501 0A000)
SELECT FILE('/etc/passwd') FROM events

-- case: fn_file_quoted (42501 0A000)
SELECT "file"('/etc/passwd') FROM events

-- case: fn_file_schema_qualified (42501 0A000)
SELECT public.file('/etc/passwd') FROM events

-- case: fn_file_in_where (42501 0A000)
SELECT count(*) FROM events WHERE file('/etc/passwd') LIKE '%root%'

-- case: fn_file_nested (42501 0A000)
SELECT lower(toString(file('/etc/passwd'))) FROM events

-- case: fn_file_in_lambda_position (42501 0A000)
SELECT arrayMap(x -> file(x), ARRAY['/etc/passwd']) FROM events

-- case: fn_url_scalar (42501 0A000)
SELECT url('http://127.0.0.1:1/') FROM events

-- case: fn_dict_get (42501 0A000)
-- Dictionaries can be backed by any source: other tables, files, HTTP, other servers.
SELECT dictGet('some_dictionary', 'attr', toUInt64(1)) FROM events

-- case: fn_dict_get_or_default (42501 0A000)
SELECT dictGetOrDefault('some_dictionary', 'attr', toUInt64(1), 'x') FROM events

-- case: fn_dict_has (42501 0A000)
SELECT dictHas('some_dictionary', toUInt64(1)) FROM events

-- case: fn_join_get (42501 0A000)
-- joinGet reads a Join table by name: here the out-of-scope datasource's database.
SELECT joinGet('{database}.user_events', 'payload', visitor_id) FROM events

-- case: fn_has_column_in_table (42501 0A000)
-- Probes other databases' schemas.
SELECT hasColumnInTable('system', 'users', 'name') FROM events

-- case: fn_get_setting (42501 0A000)
SELECT getSetting('readonly') FROM events

-- case: fn_get_setting_or_default (42501 0A000)
SELECT getSettingOrDefault('max_execution_time', 0) FROM events

-- case: fn_get_server_setting (42501 0A000)
SELECT getServerSetting('path') FROM events

-- case: fn_get_merge_tree_setting (42501 0A000)
SELECT getMergeTreeSetting('index_granularity') FROM events

-- case: fn_global_variable (42501 0A000)
SELECT globalVariable('max_allowed_packet') FROM events

-- case: fn_host_name (42501 0A000)
SELECT hostName() FROM events

-- case: fn_host_name_quoted (42501 0A000)
SELECT "hostName"() FROM events

-- case: fn_display_name (42501 0A000)
SELECT displayName() FROM events

-- case: fn_get_macro (42501 0A000)
SELECT getMacro('shard') FROM events

-- case: fn_server_uuid (42501 0A000)
SELECT serverUUID() FROM events

-- case: fn_os_kernel_version (42501 0A000)
SELECT getOSKernelVersion() FROM events

-- case: fn_filesystem_available (42501 0A000)
SELECT filesystemAvailable(), filesystemCapacity() FROM events

-- case: fn_get_server_port (42501 0A000)
SELECT getServerPort('tcp_port') FROM events

-- case: fn_tcp_port (42501 0A000)
SELECT tcpPort() FROM events

-- case: fn_current_user (42501 0A000)
-- The ClickHouse account the gateway logs in with (PostgreSQL's current_user is the token).
SELECT currentUser() FROM events

-- case: fn_current_roles (42501 0A000)
SELECT currentRoles(), currentProfiles() FROM events

-- case: fn_current_database (42501 0A000)
-- The ClickHouse database behind the project (PostgreSQL's current_database() is
-- `pipegate`).
SELECT currentDatabase() FROM events

-- case: fn_current_schemas (42501 0A000)
SELECT currentSchemas(true) FROM events

-- case: fn_client_http_header (42501 0A000)
-- The gateway's own request headers to ClickHouse, credentials included.
SELECT getClientHTTPHeader('X-ClickHouse-Key') FROM events

-- case: fn_catboost_evaluate (42501 0A000)
-- Loads a model from a server path.
SELECT catboostEvaluate('/etc/passwd', duration_ms) FROM events

-- case: fn_address_to_symbol (42501 0A000)
-- Introspection of the server binary.
SELECT addressToSymbol(toUInt64(1)) FROM events

-- case: stmt_explain (42501 0A000)
EXPLAIN SELECT * FROM system.tables

-- case: stmt_explain_analyze (42501 0A000)
EXPLAIN ANALYZE SELECT * FROM user_events

-- case: stmt_explain_options (42501 0A000)
EXPLAIN (VERBOSE, FORMAT JSON) SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString')

-- case: stmt_copy_subquery_to_stdout (42501 0A000)
COPY (SELECT * FROM system.tables) TO STDOUT

-- case: stmt_copy_to_file (42501 0A000)
-- Writing a server file is superuser-only in PostgreSQL.
COPY events TO '/tmp/pipegate-escape'

-- case: stmt_copy_to_program (42501 0A000)
COPY (SELECT 1) TO PROGRAM 'curl http://127.0.0.1:1/'

-- case: stmt_declare_cursor (42501 0A000)
DECLARE c CURSOR FOR SELECT * FROM system.tables

-- case: stmt_prepare (42501 0A000)
PREPARE p AS SELECT * FROM system.tables

-- case: stmt_do_block (42501 0A000)
-- A query hidden in a code block.
DO $$BEGIN PERFORM * FROM system.tables; END$$

-- case: role_set_role_admin (42501)
-- The admin token is a role web_read is not a member of.
SET ROLE admin

-- case: role_set_session_authorization (42501)
SET SESSION AUTHORIZATION admin

-- case: role_set_role_then_read (42501) simple-only
SET ROLE admin; SELECT count(*) FROM user_events
