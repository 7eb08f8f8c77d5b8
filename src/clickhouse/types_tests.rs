use super::*;

fn parse(text: &str) -> ChType {
    ChType::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn err(text: &str) -> String {
    ChType::parse(text).expect_err(text).to_string()
}

/// Canonical spellings (as `DESCRIBE` writes them) parse and print back unchanged.
#[test]
fn every_supported_type_round_trips() {
    for t in [
        "Int8",
        "Int16",
        "Int32",
        "Int64",
        "Int128",
        "Int256",
        "UInt8",
        "UInt16",
        "UInt32",
        "UInt64",
        "UInt128",
        "UInt256",
        "Float32",
        "Float64",
        "Decimal(10, 2)",
        "Decimal(76, 76)",
        "Decimal(1, 0)",
        "Bool",
        "String",
        "FixedString(16)",
        "UUID",
        "Date",
        "Date32",
        "DateTime",
        "DateTime('Europe/Madrid')",
        "DateTime64(3)",
        "DateTime64(6, 'UTC')",
        "Enum8('a' = 1, 'b' = -2)",
        "Enum16('x' = 1000)",
        "Enum16('it\\'s' = -5)",
        "IPv4",
        "IPv6",
        "JSON",
        "Array(String)",
        "Array(Array(Nullable(Int32)))",
        "Nullable(Decimal(38, 10))",
        "Nullable(JSON)",
        "Nullable(Tuple(Int32))",
        "LowCardinality(String)",
        "LowCardinality(Nullable(String))",
        "Map(String, UInt64)",
        "Map(LowCardinality(String), Array(UInt8))",
        "Tuple()",
        "Tuple(Int32, String)",
        "Tuple(a Int32, b Array(String))",
        "Tuple(`a b` Int32, c String)",
        "SimpleAggregateFunction(sum, UInt64)",
        "SimpleAggregateFunction(anyLast, Nullable(String))",
        "AggregateFunction(count)",
        "AggregateFunction(uniq, String)",
        "AggregateFunction(argMax, String, DateTime)",
        "AggregateFunction(quantiles(0.5, 0.9), Float64)",
    ] {
        let ty = parse(t);
        assert_eq!(ty.to_string(), t, "canonical spelling");
        assert_eq!(ChType::parse(&ty.to_string()), Ok(ty));
    }
}

#[test]
fn parses_into_the_tree() {
    assert_eq!(
        parse("Nullable(DateTime64(3, 'UTC'))"),
        ChType::Nullable(Box::new(ChType::DateTime64(3, Some("UTC".into()))))
    );
    assert_eq!(
        parse("Map(String, Array(UInt8))"),
        ChType::Map(
            Box::new(ChType::String),
            Box::new(ChType::Array(Box::new(ChType::UInt(8))))
        )
    );
    assert_eq!(
        parse("Tuple(a Int32, b String)"),
        ChType::Tuple(vec![
            (Some("a".into()), ChType::Int(32)),
            (Some("b".into()), ChType::String)
        ])
    );
    assert_eq!(
        parse("Enum8('a' = 1, 'b' = 2)"),
        ChType::Enum(8, vec![("a".into(), 1), ("b".into(), 2)])
    );
}

/// Other spellings ClickHouse accepts become the canonical one.
#[test]
fn aliases_and_spacing_normalise() {
    for (input, canonical) in [
        ("Decimal32(2)", "Decimal(9, 2)"),
        ("Decimal64(4)", "Decimal(18, 4)"),
        ("Decimal128(0)", "Decimal(38, 0)"),
        ("Decimal256(10)", "Decimal(76, 10)"),
        ("Decimal(5)", "Decimal(5, 0)"),
        ("Boolean", "Bool"),
        ("bool", "Bool"),
        ("BOOLEAN", "Bool"),
        (" Nullable( Decimal(10,2) ) ", "Nullable(Decimal(10, 2))"),
        ("Enum8('a', 'b')", "Enum8('a' = 1, 'b' = 2)"),
        ("DateTime64(3,'UTC')", "DateTime64(3, 'UTC')"),
        (
            "Tuple(\n    `a b` Int32,\n    c String)",
            "Tuple(`a b` Int32, c String)",
        ),
        ("Tuple(`x` Int8)", "Tuple(x Int8)"),
        (
            "AggregateFunction(quantiles(0.5,0.9),Float64)",
            "AggregateFunction(quantiles(0.5, 0.9), Float64)",
        ),
    ] {
        assert_eq!(parse(input).to_string(), canonical, "{input}");
    }
}

#[test]
fn string_escapes_follow_clickhouse() {
    let t = parse("Enum8('a\\nb' = 1, '\\0x' = 2, '\\x41' = 3, 'it\\'s' = 4, 'back\\\\' = 5)");
    assert_eq!(
        t,
        ChType::Enum(
            8,
            vec![
                ("a\nb".into(), 1),
                ("\0x".into(), 2),
                ("A".into(), 3),
                ("it's".into(), 4),
                ("back\\".into(), 5)
            ]
        )
    );
    assert_eq!(
        t.to_string(),
        "Enum8('a\\nb' = 1, '\\0x' = 2, 'A' = 3, 'it\\'s' = 4, 'back\\\\' = 5)"
    );
    assert_eq!(ChType::parse(&t.to_string()), Ok(t));
    assert_eq!(
        parse("DateTime('\\xC3\\xA9')").timezone(),
        Some("\u{e9}"),
        "hex escapes are bytes"
    );
    assert_eq!(
        err("Enum8('\\x+1' = 1)"),
        "bad escape \\x+1 in a quoted string"
    );
    assert_eq!(
        err("Enum8('\\xZZ' = 1)"),
        "bad escape \\xZZ in a quoted string"
    );
}

#[test]
fn helpers_see_through_wrappers() {
    let t = parse("LowCardinality(Nullable(String))");
    assert!(t.is_nullable());
    assert_eq!(t.inner(), &ChType::String);
    assert!(!parse("Array(Nullable(String))").is_nullable());
    assert_eq!(
        parse("Array(String)").inner(),
        &ChType::Array(Box::new(ChType::String))
    );
    let t = parse("Nullable(DateTime64(3, 'Asia/Tokyo'))");
    assert_eq!(t.timezone(), Some("Asia/Tokyo"));
    assert_eq!(parse("DateTime('UTC')").timezone(), Some("UTC"));
    assert_eq!(parse("DateTime").timezone(), None);
    assert_eq!(parse("String").timezone(), None);
}

#[test]
fn errors_say_what_is_wrong() {
    for (input, want) in [
        (
            "DateTim64(3)",
            "unknown type DateTim64 (did you mean DateTime64?)",
        ),
        ("Strng", "unknown type Strng (did you mean String?)"),
        ("string", "unknown type string (did you mean String?)"),
        ("Blob", "unknown type Blob"),
        ("Nested(a Int32)", "the ClickHouse type Nested is not supported by pipegate"),
        ("DateTime64(12)", "DateTime64 precision 12 is out of range 0..=9"),
        ("Decimal(10, 20)", "Decimal scale 20 is out of range 0..=10"),
        ("Decimal(0)", "Decimal precision 0 is out of range 1..=76"),
        ("Decimal32(10)", "Decimal32 scale 10 is out of range 0..=9"),
        ("FixedString(0)", "FixedString length 0 is out of range 1..=4294967295"),
        ("Array(String", "expected ')' to close Array("),
        ("Array String", "expected '(' after Array, found 'S'"),
        ("Map(String)", "expected ',' between the Map key and value types, found ')'"),
        ("String extra", "unexpected \"extra\" after the type String"),
        ("Int32,", "unexpected \",\" after the type Int32"),
        (
            "Nullable(Array(String))",
            "Nullable(Array(String)) is not allowed: ClickHouse cannot make Array(String) Nullable",
        ),
        (
            "Nullable(LowCardinality(String))",
            "Nullable(LowCardinality(String)) is not allowed: write LowCardinality(Nullable(String))",
        ),
        (
            "LowCardinality(Array(String))",
            "LowCardinality(Array(String)) is not allowed: LowCardinality takes numbers, strings, dates and times",
        ),
        (
            "Map(Nullable(String), Int32)",
            "Map cannot have a key of type Nullable(String): use a non-Nullable key",
        ),
        ("Enum8('a' = 300)", "Enum8 value 300 is out of range -128..=127"),
        ("Enum8('a' = 127, 'b' = 128)", "Enum8 value 128 is out of range -128..=127"),
        ("Enum8('a' = 1, 'a' = 2)", "Enum8: duplicate label 'a'"),
        ("Enum8('a' = 1, 'b' = 1)", "Enum8: 'a' and 'b' have the same value 1"),
        (
            "Enum8('a', 'b' = 2)",
            "Enum8: give every label a value, or none (they are then numbered from 1)",
        ),
        ("Enum8()", "Enum8 needs at least one value"),
        ("Enum8(a = 1)", "expected a 'quoted' string"),
        ("Tuple(a Int32, String)", "Tuple: name every element or none of them"),
        (
            "Tuple(a Int32, a String)",
            "Tuple element names must be unique: a appears twice",
        ),
        (
            "DateTime(3)",
            "DateTime takes only a time zone, as in DateTime('UTC'); for fractions of a second use DateTime64(3)",
        ),
        ("DateTime64(3, 'UTC", "unterminated string in the type"),
        ("JSON(max_dynamic_paths = 10)", "JSON parameters are not supported: write JSON without arguments"),
        ("", "expected a type name"),
        ("(", "expected a type name, found '('"),
        ("FixedString(x)", "expected a number, found \"x)\""),
    ] {
        assert_eq!(err(input), want, "for {input:?}");
    }
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let deep = format!("{}String{}", "Array(".repeat(10_000), ")".repeat(10_000));
    assert_eq!(err(&deep), "the type nests deeper than 32 levels");
    let ok = format!("{}String{}", "Array(".repeat(31), ")".repeat(31));
    assert!(ChType::parse(&ok).is_ok());
}

#[test]
fn no_input_panics() {
    for t in [
        "(",
        ")",
        "Array(",
        "Tuple(",
        "Tuple(a",
        "Tuple(`a",
        "Enum8('",
        "Enum8('a' =",
        "Enum8('a' = -",
        "DateTime64(-1)",
        "DateTime64(99999999999999999999999)",
        "Map(String",
        "AggregateFunction(",
        "AggregateFunction(q(",
        "AggregateFunction(q('",
        "SimpleAggregateFunction(sum)",
        "Tuple(a)",
        "ÄÖ",
        "Int8\u{0}",
        "Nullable(\u{3000}String)",
        "DateTime('\\",
    ] {
        let _ = ChType::parse(t);
    }
}

#[test]
fn suggestions_need_a_close_word() {
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(close_enough("Bool"), 1);
    assert_eq!(close_enough("DateTime64"), 2);
}

mod no_panics {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn type_parser_never_panics(text in "[A-Za-z0-9(), '`=\\\\_-]{0,40}") {
            let _ = ChType::parse(&text);
        }

        #[test]
        fn parsed_types_round_trip(text in prop::sample::select(vec![
            "Int8", "String", "Array(Nullable(Int32))", "Map(String, Tuple(a UInt8, b Date))",
            "LowCardinality(Nullable(String))", "Enum8('x' = -1)", "DateTime64(9, 'UTC')",
        ]), wrap in 0usize..3) {
            let text = (0..wrap).fold(text.to_string(), |t, _| format!("Array({t})"));
            let ty = ChType::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(ChType::parse(&ty.to_string()), Ok(ty));
        }
    }
}
