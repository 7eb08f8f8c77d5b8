//! Typed parameter functions: rendering, validation and defaults.

use super::{fails, ok, vars};
use crate::template::{RenderMode, Template, TemplateError, Value};

#[track_caller]
fn invalid(src: &str, pairs: &[(&str, &str)], name: &str, wanted: &str) {
    match fails(src, pairs) {
        TemplateError::InvalidParam {
            name: n, message, ..
        } => {
            assert_eq!(n, name);
            assert!(message.contains(wanted), "{message:?} lacks {wanted:?}");
        }
        other => panic!("expected InvalidParam, got {other:?}"),
    }
}

#[test]
fn string_renders_an_escaped_literal() {
    assert_eq!(ok("a = {{String(x)}}", &[("x", "it's")]), r"a = 'it\'s'");
    assert_eq!(ok("{{String(x)}}", &[("x", r"\")]), r"'\\'");
    assert_eq!(ok("{{String(x)}}", &[("x", "")]), "''");
    assert_eq!(ok("{{String(x)}}", &[("x", "a\nb\0")]), r"'a\nb\0'");
}

#[test]
fn string_default_applies_when_missing() {
    assert_eq!(ok("{{String(c, 'US')}}", &[]), "'US'");
    assert_eq!(ok("{{String(c, default='US')}}", &[]), "'US'");
    assert_eq!(ok("{{String(c, 'US')}}", &[("c", "ES")]), "'ES'");
}

#[test]
fn every_integer_width_renders_bare() {
    for (ty, v) in [
        ("Int8", "-128"),
        ("Int16", "32767"),
        ("Int32", "-2147483648"),
        ("Int64", "9223372036854775807"),
        ("UInt8", "255"),
        ("UInt16", "65535"),
        ("UInt32", "4294967295"),
        ("UInt64", "18446744073709551615"),
    ] {
        let expected = if v.starts_with('-') {
            format!("({v})")
        } else {
            v.to_string()
        };
        assert_eq!(
            ok(&format!("{{{{{ty}(x)}}}}"), &[("x", v)]),
            expected,
            "{ty}"
        );
    }
}

#[test]
fn integers_out_of_range_name_the_parameter_and_type() {
    invalid("{{Int8(x)}}", &[("x", "128")], "x", "Int8");
    invalid("{{UInt8(x)}}", &[("x", "-1")], "x", "UInt8");
    invalid("{{Int32(lim)}}", &[("lim", "2147483648")], "lim", "Int32");
    invalid(
        "{{UInt64(x)}}",
        &[("x", "18446744073709551616")],
        "x",
        "UInt64",
    );
    invalid("{{Int32(x)}}", &[("x", "1; DROP TABLE t")], "x", "Int32");
    invalid("{{Int32(x)}}", &[("x", "0x10")], "x", "Int32");
    invalid("{{Int32(x)}}", &[("x", "")], "x", "Int32");
}

#[test]
fn wide_integers_render_as_typed_conversions() {
    assert_eq!(ok("{{Int128(x)}}", &[("x", "-5")]), "toInt128('-5')");
    assert_eq!(
        ok(
            "{{UInt128(x)}}",
            &[("x", "340282366920938463463374607431768211455")]
        ),
        "toUInt128('340282366920938463463374607431768211455')"
    );
    assert_eq!(ok("{{Int256(x)}}", &[("x", "007")]), "toInt256('7')");
    invalid("{{UInt256(x)}}", &[("x", "-1")], "x", "UInt256");
}

#[test]
fn negative_numbers_cannot_form_a_comment() {
    assert_eq!(ok("a -{{Int32(x)}}", &[("x", "-5")]), "a -(-5)");
    assert_eq!(ok("a -{{Float64(x)}}", &[("x", "-0.5")]), "a -(-0.5)");
}

#[test]
fn floats_render_bare_and_are_validated() {
    assert_eq!(ok("{{Float64(x)}}", &[("x", "1.5")]), "1.5");
    assert_eq!(ok("{{Float32(x)}}", &[("x", "2")]), "2.0");
    assert_eq!(ok("{{Float64(x)}}", &[("x", "1e300")]), "1e300");
    invalid("{{Float64(x)}}", &[("x", "nan")], "x", "Float64");
    invalid("{{Float64(x)}}", &[("x", "inf")], "x", "Float64");
    invalid("{{Float32(x)}}", &[("x", "1e40")], "x", "Float32");
    invalid("{{Float64(x)}}", &[("x", "1.5abc")], "x", "Float64");
}

#[test]
fn dates_render_quoted_and_are_validated() {
    assert_eq!(ok("{{Date(d)}}", &[("d", "2026-01-01")]), "'2026-01-01'");
    invalid("{{Date(d)}}", &[("d", "2026-02-30")], "d", "Date");
    invalid("{{Date(d)}}", &[("d", "01/02/2026")], "d", "Date");
    invalid(
        "{{Date(d)}}",
        &[("d", "2026-01-01' OR 1=1 --")],
        "d",
        "Date",
    );
}

#[test]
fn datetimes_accept_t_separator_and_date_only() {
    assert_eq!(
        ok("{{DateTime(d)}}", &[("d", "2026-01-01 10:20:30")]),
        "'2026-01-01 10:20:30'"
    );
    assert_eq!(
        ok("{{DateTime(d)}}", &[("d", "2026-01-01T10:20:30")]),
        "'2026-01-01 10:20:30'"
    );
    assert_eq!(
        ok("{{DateTime(d)}}", &[("d", "2026-01-01")]),
        "'2026-01-01 00:00:00'"
    );
    assert_eq!(
        ok("{{DateTime(d)}}", &[("d", "2026-01-01 10:20:30.5")]),
        "'2026-01-01 10:20:30'"
    );
    invalid(
        "{{DateTime(d)}}",
        &[("d", "2026-01-01 25:00:00")],
        "d",
        "DateTime",
    );
    assert_eq!(
        ok("{{DateTime64(d)}}", &[("d", "2026-01-01 10:20:30.123")]),
        "'2026-01-01 10:20:30.123'"
    );
    invalid(
        "{{DateTime64(d)}}",
        &[("d", "yesterday")],
        "d",
        "DateTime64",
    );
}

#[test]
fn booleans_accept_true_false_one_zero() {
    assert_eq!(ok("{{Boolean(b)}}", &[("b", "true")]), "1");
    assert_eq!(ok("{{Boolean(b)}}", &[("b", "False")]), "0");
    assert_eq!(ok("{{Boolean(b)}}", &[("b", "1")]), "1");
    assert_eq!(ok("{{Boolean(b, False)}}", &[]), "0");
    invalid("{{Boolean(b)}}", &[("b", "maybe")], "b", "Boolean");
}

#[test]
fn arrays_take_comma_separated_or_repeated_values() {
    assert_eq!(ok("{{Array(t, 'String')}}", &[("t", "a,b")]), "['a','b']");
    assert_eq!(ok("{{Array(t)}}", &[("t", "x'y")]), r"['x\'y']");
    assert_eq!(ok("{{Array(t, 'Int32')}}", &[("t", "1,-2,3")]), "[1,-2,3]");
    assert_eq!(
        ok("{{Array(t, 'Date')}}", &[("t", "2026-01-01")]),
        "['2026-01-01']"
    );
    let t = Template::parse("{{Array(t, 'String')}}").expect("parses");
    let mut v = vars(&[]);
    v.insert("t".into(), Value::List(vec!["a,b".into(), "c".into()]));
    let sql = t.render(&v, RenderMode::Request).expect("renders").sql;
    assert_eq!(sql, "['a,b','c']");
}

#[test]
fn array_items_are_validated() {
    match fails("{{Array(t, 'Int32')}}", &[("t", "1,x")]) {
        TemplateError::InvalidParam { name, message, .. } => {
            assert_eq!(name, "t");
            assert!(
                message.contains("Int32") && message.contains("'x'"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn array_defaults_by_position_keyword_or_list() {
    assert_eq!(ok("{{Array(t, 'String', 'a,b')}}", &[]), "['a','b']");
    assert_eq!(ok("{{Array(t, 'Int8', default='1,2')}}", &[]), "[1,2]");
    assert_eq!(
        ok("{{Array(t, 'String', default=['m','d'])}}", &[]),
        "['m','d']"
    );
}

#[test]
fn enum_restricts_values() {
    let src = "{{String(o, 'asc', enum=['asc', 'desc'])}}";
    assert_eq!(ok(src, &[("o", "desc")]), "'desc'");
    assert_eq!(ok(src, &[]), "'asc'");
    invalid(src, &[("o", "sideways")], "o", "one of");
}

#[test]
fn a_typed_call_without_value_or_default_is_a_missing_parameter() {
    assert_eq!(
        fails("SELECT {{Int32(lim)}}", &[]),
        TemplateError::MissingParam {
            line: 1,
            name: "lim".into()
        }
    );
    assert!(matches!(
        fails("{{String(x, required=True)}}", &[]),
        TemplateError::MissingParam { .. }
    ));
    // A default wins over required=True, as in Tinybird.
    assert_eq!(ok("{{Int32(x, 5, required=True)}}", &[]), "5");
}

#[test]
fn defined_false_yields_none_instead_of_failing() {
    assert_eq!(
        ok(
            "{{sql_and(a=Int32(a, defined=False), b=Int32(b, defined=False))}}",
            &[("b", "2")]
        ),
        "b = 2"
    );
}

#[test]
fn typed_functions_accept_expressions() {
    assert_eq!(ok("{{String(x + '%')}}", &[("x", "ab")]), "'ab%'");
    assert_eq!(ok("{% set n = 3 %}{{Int8(n)}}", &[]), "3");
}

#[test]
fn repeated_values_for_a_scalar_take_the_last() {
    let t = Template::parse("{{Int32(x)}}").expect("parses");
    let mut v = vars(&[]);
    v.insert("x".into(), Value::List(vec!["1".into(), "2".into()]));
    assert_eq!(t.render(&v, RenderMode::Request).expect("renders").sql, "2");
}

#[test]
fn invalid_literal_defaults_fail_at_parse_time() {
    for src in [
        "{{Int32(x, 'abc')}}",
        "{{Date(x, '2026-13-01')}}",
        "{{Array(x, 'Int32', 'a,b')}}",
        "{{UInt8(x, -1)}}",
    ] {
        assert!(
            matches!(Template::parse(src), Err(TemplateError::Syntax { .. })),
            "{src}"
        );
    }
}

#[test]
fn typed_calls_are_checked_at_parse_time() {
    for src in [
        "{{Int32()}}",
        "{{Int32(x, 1, 2)}}",
        "{{String(x, colour='red')}}",
        "{{Array(x, 'Nope')}}",
        "{{Array(x, t)}}",
        "{{String(x, 'a', default='b')}}",
    ] {
        assert!(
            matches!(Template::parse(src), Err(TemplateError::Syntax { .. })),
            "{src}"
        );
    }
}

#[test]
fn aliases_int_integer_and_bool() {
    assert_eq!(
        ok(
            "{{Int(x)}} {{Integer(y)}} {{bool(z)}}",
            &[("x", "1"), ("y", "2"), ("z", "true")]
        ),
        "1 2 1"
    );
}
