-- The subtle ones: valid PostgreSQL that must come back exactly as PostgreSQL answers it,
-- although a translator that copied text across carelessly would hand ClickHouse a
-- different query, one that reads system tables or changes settings. PostgreSQL strings
-- follow standard_conforming_strings (a backslash is an ordinary character, `''` is a
-- quote); ClickHouse reads backslash escapes in strings and identifiers. So `'a\''` is the
-- three characters a\' to PostgreSQL, while to ClickHouse it is a' followed by the start of
-- the rest of the query.
--
-- Each case is one query returning exactly one row: the test requires the row's first
-- column, as text, to be the `expect` value, or the query to be refused with 42501 or
-- 0A000 (a translator may refuse what it cannot translate safely). Anything else (another
-- value, another number of rows, another error) fails.
--
-- Format: `-- case: <name>`, then these `--` lines:
--   `-- expect: <JSON string, or null>`  the first column of the only row, as text;
--   `-- column: <JSON string>`           optional: that column's name;
--   `-- params: <JSON array of strings>` optional: values bound as text to $1, $2, ...
--                                        (run through the extended protocol only);
-- then what the case tries, and the SQL up to the next `-- case:` line. The `events`
-- datasource holds three rows (tests/it/pg.rs `gateway_with_events`), so `count(*)` is 3.
-- Every `expect` not involving a pipe or a bound parameter was checked on PostgreSQL 15.

-- case: backslash_quote_union
-- expect: "a\\' UNION ALL SELECT name FROM system.tables -- "
-- In ClickHouse `\'` would close nothing and the `'` after it would end the string.
SELECT 'a\'' UNION ALL SELECT name FROM system.tables -- ' AS v, count(*) FROM events

-- case: backslash_quote_settings
-- expect: "x\\' SETTINGS readonly = 0 --"
SELECT 'x\'' SETTINGS readonly = 0 --' AS v, count(*) FROM events

-- case: backslash_at_end
-- expect: "a\\"
SELECT 'a\' AS v, count(*) FROM events

-- case: two_backslashes
-- expect: "\\\\"
SELECT '\\' AS v, count(*) FROM events

-- case: backslash_n
-- expect: "a\\nb"
-- Four characters in PostgreSQL; a newline in ClickHouse.
SELECT 'a\nb' AS v, count(*) FROM events

-- case: backslash_zero
-- expect: "\\0"
SELECT '\0' AS v, count(*) FROM events

-- case: backslash_x
-- expect: "\\x27"
SELECT '\x27' AS v, count(*) FROM events

-- case: doubled_quote_union
-- expect: "x' UNION ALL SELECT name FROM system.tables -- "
SELECT 'x'' UNION ALL SELECT name FROM system.tables -- ' AS v, count(*) FROM events

-- case: where_breakout
-- expect: "0"
-- No pathname is that string; broken out, `OR 1 = 1` would count every row.
SELECT count(*) AS v FROM events WHERE pathname = '/\'' OR 1 = 1 -- '

-- case: e_string_escaped_quote
-- expect: "' UNION ALL SELECT name FROM system.tables -- "
SELECT E'\' UNION ALL SELECT name FROM system.tables -- ' AS v, count(*) FROM events

-- case: e_string_hex_quote
-- expect: "' SETTINGS readonly = 0 -- "
SELECT E'\x27 SETTINGS readonly = 0 -- ' AS v, count(*) FROM events

-- case: e_string_unicode_quote
-- expect: "' UNION ALL SELECT name FROM system.tables -- "
SELECT E'\u0027 UNION ALL SELECT name FROM system.tables -- ' AS v, count(*) FROM events

-- case: e_string_backslash_then_quote
-- expect: "\\' UNION ALL SELECT 1 -- "
SELECT E'\\\' UNION ALL SELECT 1 -- ' AS v, count(*) FROM events

-- case: unicode_string_quote
-- expect: "' UNION ALL SELECT name FROM system.tables -- "
SELECT U&'\0027 UNION ALL SELECT name FROM system.tables -- ' AS v, count(*) FROM events

-- case: unicode_string_uescape
-- expect: "' UNION ALL SELECT 1 -- "
SELECT U&'!0027 UNION ALL SELECT 1 -- ' UESCAPE '!' AS v, count(*) FROM events

-- case: dollar_quoted_backslash
-- expect: "a\\' UNION ALL SELECT name FROM system.tables -- "
SELECT $$a\' UNION ALL SELECT name FROM system.tables -- $$ AS v, count(*) FROM events

-- case: dollar_quoted_tagged
-- expect: "' SETTINGS readonly = 0 --"
SELECT $q$' SETTINGS readonly = 0 --$q$ AS v, count(*) FROM events

-- case: block_comment_in_string
-- expect: "/*"
SELECT '/*' AS v, count(*) FROM events WHERE '*/' <> ''

-- case: nested_comment
-- expect: "3"
-- column: "v"
-- PostgreSQL's comments nest: everything after `events` is one comment.
SELECT count(*) AS v FROM events /* /* */ UNION ALL SELECT count(*) FROM system.tables -- */

-- case: line_comment_after_query
-- expect: "3"
SELECT count(*) AS v FROM events -- '; SELECT * FROM system.tables

-- case: hash_is_xor
-- expect: "5"
-- `#` is XOR in PostgreSQL and starts a comment in ClickHouse.
SELECT 6 # 3 AS v, count(*) FROM events

-- case: alias_with_backtick
-- expect: "3"
-- column: "n` FROM system.tables --"
SELECT count(*) AS "n` FROM system.tables --" FROM events

-- case: alias_with_doubled_quote
-- expect: "3"
-- column: "n\" FROM system.tables --"
SELECT count(*) AS "n"" FROM system.tables --" FROM events

-- case: alias_with_backslash_quote
-- expect: "3"
-- column: "n\\\" FROM system.tables --"
-- In ClickHouse `\"` would escape the quote and the `"` after it would end the name.
SELECT count(*) AS "n\"" FROM system.tables --" FROM events

-- case: alias_ending_in_backslash
-- expect: "3"
-- column: "n\\"
SELECT count(*) AS "n\" FROM events

-- case: alias_named_settings
-- expect: "3"
-- column: "settings"
SELECT count(*) AS "settings" FROM events

-- case: table_alias_with_quote
-- expect: "3"
-- column: "v"
SELECT count(*) AS v FROM events AS "e"" FROM system.tables --"

-- case: table_alias_final
-- expect: "3"
-- column: "v"
-- FINAL is an alias in PostgreSQL, a modifier in ClickHouse.
SELECT count(*) AS v FROM events final

-- case: param_quote
-- expect: "x' UNION ALL SELECT name FROM system.tables -- "
-- params: ["x' UNION ALL SELECT name FROM system.tables -- "]
SELECT $1::text AS v, count(*) FROM events

-- case: param_backslash_quote
-- expect: "a\\' UNION ALL SELECT name FROM system.tables -- "
-- params: ["a\\' UNION ALL SELECT name FROM system.tables -- "]
SELECT $1::text AS v, count(*) FROM events

-- case: param_in_where
-- expect: "0"
-- params: ["/' OR '1'='1"]
SELECT count(*) AS v FROM events WHERE pathname = $1

-- case: param_in_where_backslash
-- expect: "0"
-- params: ["/\\' OR 1 = 1 SETTINGS readonly = 0 -- "]
SELECT count(*) AS v FROM events WHERE pathname = $1

-- case: pipe_parameter_quote
-- expect: "0"
-- A pipe parameter bound from WHERE, rendered into the template: no session has that
-- country, so kpis has no rows. Broken out, `OR '1'='1'` would match every session.
SELECT count(*) AS v FROM kpis WHERE country = 'ES'' OR ''1''=''1'

-- case: pipe_parameter_backslash
-- expect: "0"
SELECT count(*) AS v FROM kpis WHERE country = 'ES\'' OR 1=1 --'
