//! Constant selects: names, types and text as PostgreSQL 16 gives them.

use pgwire::api::Type;
use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::*;

fn recognize(sql: &str) -> Option<ConstantSelect> {
    let statement = Parser::parse_sql(&PostgreSqlDialect {}, sql)
        .unwrap()
        .pop()
        .unwrap();
    let Statement::Query(q) = statement else {
        panic!("not a query")
    };
    ConstantSelect::recognize(&q)
}

/// (name, type, text) of each column.
fn row(sql: &str) -> Vec<(String, Type, Option<String>)> {
    row_with(sql, 1)
}

fn row_with(sql: &str, extra_float_digits: i32) -> Vec<(String, Type, Option<String>)> {
    let c = recognize(sql).unwrap_or_else(|| panic!("{sql} is not constant"));
    c.evaluate(extra_float_digits)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .map(|c| (c.name, c.pg_type, c.value))
        .collect()
}

fn one(sql: &str) -> (String, Type, Option<String>) {
    row(sql).remove(0)
}

fn col(name: &str, ty: Type, value: &str) -> (String, Type, Option<String>) {
    (name.to_string(), ty, Some(value.to_string()))
}

fn fails(sql: &str) -> QueryError {
    recognize(sql).unwrap().evaluate(1).expect_err(sql)
}

#[test]
fn select_1() {
    assert_eq!(row("SELECT 1"), vec![col("?column?", Type::INT4, "1")]);
}

#[test]
fn the_brief_example() {
    assert_eq!(
        row("SELECT 1 AS n, true, 1.5, -2, 'a'::text, CAST(1 AS int8)"),
        vec![
            col("n", Type::INT4, "1"),
            col("bool", Type::BOOL, "t"),
            col("?column?", Type::NUMERIC, "1.5"),
            col("?column?", Type::INT4, "-2"),
            col("text", Type::TEXT, "a"),
            col("int8", Type::INT8, "1"),
        ]
    );
}

#[test]
fn strings_and_null_are_text() {
    assert_eq!(one("SELECT 'x'"), col("?column?", Type::TEXT, "x"));
    assert_eq!(
        one("SELECT NULL"),
        ("?column?".to_string(), Type::TEXT, None)
    );
    assert_eq!(one("SELECT E'a\\tb'"), col("?column?", Type::TEXT, "a\tb"));
    assert_eq!(one("SELECT 'it''s'"), col("?column?", Type::TEXT, "it's"));
}

#[test]
fn integer_literal_types_by_size() {
    assert_eq!(one("SELECT 2147483647").1, Type::INT4);
    assert_eq!(
        one("SELECT 3000000000"),
        col("?column?", Type::INT8, "3000000000")
    );
    assert_eq!(one("SELECT -2147483648").1, Type::INT4);
    assert_eq!(
        one("SELECT 9223372036854775808"),
        col("?column?", Type::NUMERIC, "9223372036854775808")
    );
    assert_eq!(one("SELECT -9223372036854775808").1, Type::INT8);
    assert_eq!(one("SELECT 007"), col("?column?", Type::INT4, "7"));
}

#[test]
fn numeric_literals_keep_scale() {
    assert_eq!(one("SELECT 1.50"), col("?column?", Type::NUMERIC, "1.50"));
    assert_eq!(one("SELECT 1e3"), col("?column?", Type::NUMERIC, "1000"));
    assert_eq!(one("SELECT .5"), col("?column?", Type::NUMERIC, "0.5"));
    assert_eq!(one("SELECT -0.0"), col("?column?", Type::NUMERIC, "0.0"));
}

#[test]
fn cast_names_follow_postgres_grammar() {
    assert_eq!(one("SELECT 1::int8").0, "int8");
    assert_eq!(one("SELECT 1::bigint").0, "int8");
    assert_eq!(one("SELECT 1::integer").0, "int4");
    assert_eq!(one("SELECT 1::smallint").0, "int2");
    assert_eq!(one("SELECT 1::double precision").0, "float8");
    assert_eq!(one("SELECT 1::real").0, "float4");
    assert_eq!(one("SELECT 1::decimal").0, "numeric");
    assert_eq!(one("SELECT 'a'::varchar").0, "varchar");
    assert_eq!(one("SELECT 'a'::character varying(5)").0, "varchar");
    assert_eq!(one("SELECT 'a'::char(3)").0, "bpchar");
    assert_eq!(one("SELECT true::int").0, "int4");
    assert_eq!(one("SELECT 1::pg_catalog.int4").0, "int4");
    assert_eq!(one("SELECT NULL::int").0, "int4");
    assert_eq!(
        one("SELECT CAST(NULL AS text)"),
        ("text".to_string(), Type::TEXT, None)
    );
    assert_eq!(one("SELECT 1::int8::text").0, "text");
}

#[test]
fn unary_operators_are_unnamed() {
    assert_eq!(one("SELECT -1::int8"), col("?column?", Type::INT8, "-1"));
    assert_eq!(one("SELECT +5"), col("?column?", Type::INT4, "5"));
    assert_eq!(one("SELECT -(2)"), col("?column?", Type::INT4, "-2"));
    assert_eq!(one("SELECT - 1.5"), col("?column?", Type::NUMERIC, "-1.5"));
}

#[test]
fn aliases_fold_and_truncate() {
    assert_eq!(one("SELECT 1 AS N").0, "n");
    assert_eq!(one("SELECT 1 AS \"N\"").0, "N");
    assert_eq!(one("SELECT 1 n").0, "n");
    let long = "a".repeat(70);
    assert_eq!(one(&format!("SELECT 1 AS {long}")).0.len(), 63);
}

#[test]
fn booleans() {
    assert_eq!(one("SELECT false"), col("bool", Type::BOOL, "f"));
    assert_eq!(one("SELECT 'yes'::boolean"), col("bool", Type::BOOL, "t"));
    assert_eq!(one("SELECT ' off '::bool"), col("bool", Type::BOOL, "f"));
    assert_eq!(one("SELECT 0::bool").2.as_deref(), Some("f"));
    assert_eq!(one("SELECT true::text").2.as_deref(), Some("true"));
    let e = fails("SELECT 'maybe'::bool");
    assert_eq!(
        (e.sqlstate(), e.to_string().as_str()),
        ("22P02", "invalid input syntax for type boolean: \"maybe\"")
    );
}

#[test]
fn integer_casts() {
    assert_eq!(one("SELECT '  42 '::int4").2.as_deref(), Some("42"));
    assert_eq!(one("SELECT '1_000'::int").2.as_deref(), Some("1000"));
    assert_eq!(one("SELECT '0x1F'::int").2.as_deref(), Some("31"));
    assert_eq!(one("SELECT 2.5::int").2.as_deref(), Some("3"));
    assert_eq!(one("SELECT -2.5::int").2.as_deref(), Some("-3"));
    assert_eq!(one("SELECT 2.5::float8::int").2.as_deref(), Some("2"));
    let e = fails("SELECT 'abc'::int");
    assert_eq!(
        (e.sqlstate(), e.to_string().as_str()),
        ("22P02", "invalid input syntax for type integer: \"abc\"")
    );
    let e = fails("SELECT '3000000000'::int4");
    assert_eq!(
        (e.sqlstate(), e.to_string().as_str()),
        (
            "22003",
            "value \"3000000000\" is out of range for type integer"
        )
    );
    let e = fails("SELECT 3000000000::int4");
    assert_eq!(
        (e.sqlstate(), e.to_string().as_str()),
        ("22003", "integer out of range")
    );
    assert_eq!(
        fails("SELECT 40000::int2").to_string(),
        "smallint out of range"
    );
    assert_eq!(fails("SELECT true::int8").sqlstate(), "42846");
}

#[test]
fn numeric_casts() {
    assert_eq!(
        one("SELECT 1.555::numeric(10,2)").2.as_deref(),
        Some("1.56")
    );
    assert_eq!(one("SELECT 1::numeric(10,2)").2.as_deref(), Some("1.00"));
    assert_eq!(
        one("SELECT '12.30'::numeric"),
        col("numeric", Type::NUMERIC, "12.30")
    );
    assert_eq!(one("SELECT 1.5::float8::numeric").2.as_deref(), Some("1.5"));
    let e = fails("SELECT 1000::numeric(3,1)");
    assert_eq!(
        (e.sqlstate(), e.to_string().as_str()),
        ("22003", "numeric field overflow")
    );
    assert_eq!(
        fails("SELECT 'x'::numeric").to_string(),
        "invalid input syntax for type numeric: \"x\""
    );
}

#[test]
fn float_casts_print_like_postgres() {
    assert_eq!(
        one("SELECT 1.5::float8"),
        col("float8", Type::FLOAT8, "1.5")
    );
    assert_eq!(
        one("SELECT 0.1::float4"),
        col("float4", Type::FLOAT4, "0.1")
    );
    assert_eq!(one("SELECT 1e20::float8").2.as_deref(), Some("1e+20"));
    assert_eq!(one("SELECT 'NaN'::float8").2.as_deref(), Some("NaN"));
    assert_eq!(
        one("SELECT '-Infinity'::float8").2.as_deref(),
        Some("-Infinity")
    );
    assert_eq!(
        row_with("SELECT 0.30000000000000004::float8", 0)[0]
            .2
            .as_deref(),
        Some("0.3")
    );
    assert_eq!(
        row_with("SELECT 0.30000000000000004::float8", 3)[0]
            .2
            .as_deref(),
        Some("0.30000000000000004")
    );
    let e = fails("SELECT '1e400'::float8");
    assert_eq!(
        (e.sqlstate(), e.to_string().as_str()),
        (
            "22003",
            "\"1e400\" is out of range for type double precision"
        )
    );
}

#[test]
fn character_types() {
    assert_eq!(
        one("SELECT 'abc'::char(5)"),
        col("bpchar", Type::BPCHAR, "abc  ")
    );
    assert_eq!(one("SELECT 'abc'::char").2.as_deref(), Some("a"));
    assert_eq!(
        one("SELECT 'abcdef'::varchar(3)"),
        col("varchar", Type::VARCHAR, "abc")
    );
    assert_eq!(one("SELECT 'x'::name"), col("name", Type::NAME, "x"));
    assert_eq!(one("SELECT 1.50::text").2.as_deref(), Some("1.50"));
}

#[test]
fn typed_string_literals() {
    assert_eq!(one("SELECT int4 '7'"), col("int4", Type::INT4, "7"));
}

#[test]
fn fields_are_known_before_evaluation() {
    let c = recognize("SELECT 1 AS a, 'x', 'bad'::int").unwrap();
    assert_eq!(
        c.fields(),
        vec![
            ("a".to_string(), Type::INT4),
            ("?column?".to_string(), Type::TEXT),
            ("int4".to_string(), Type::INT4)
        ]
    );
}

#[test]
fn not_constant() {
    for sql in [
        "SELECT 1 FROM t",
        "SELECT 1 + 1",
        "SELECT now()",
        "SELECT $1",
        "SELECT x",
        "SELECT 1 WHERE false",
        "SELECT 1 LIMIT 1",
        "SELECT 1 ORDER BY 1",
        "SELECT DISTINCT 1",
        "SELECT 1 UNION SELECT 2",
        "SELECT '2024-01-01'::date",
        "SELECT -'1'",
        "SELECT *",
        "WITH a AS (SELECT 1) SELECT 1",
        "SELECT 'x'::regclass",
        "SELECT ARRAY[1]",
        "SELECT 1::int[]",
    ] {
        assert!(recognize(sql).is_none(), "{sql}");
    }
}

#[test]
fn negating_a_cast_checks_range() {
    let e = fails("SELECT -(-2147483648)::int4");
    assert_eq!(
        (e.sqlstate(), e.to_string().as_str()),
        ("22003", "integer out of range")
    );
    assert_eq!(
        one("SELECT -(1.5::float8)"),
        col("?column?", Type::FLOAT8, "-1.5")
    );
}

#[test]
fn dollar_quoted_and_several_columns() {
    assert_eq!(
        row("SELECT $$d$$, 'a' AS \"X\", NULL AS y, 1.5::float4"),
        vec![
            col("?column?", Type::TEXT, "d"),
            col("X", Type::TEXT, "a"),
            ("y".to_string(), Type::TEXT, None),
            col("float4", Type::FLOAT4, "1.5"),
        ]
    );
}

#[test]
fn pgbench_and_driver_pings() {
    for sql in [
        "SELECT 1",
        "select 1",
        "SELECT 1 AS ping",
        "SELECT 'pong'::text",
    ] {
        assert!(recognize(sql).is_some(), "{sql}");
    }
}
