//! Static parameter discovery and reserved names.

use crate::template::{ParamSpec, ParamType, Template, TemplateError, Value, RESERVED_NAMES};

fn params(src: &str) -> Vec<ParamSpec> {
    Template::parse(src).expect("parses").params()
}

fn find<'a>(specs: &'a [ParamSpec], name: &str) -> &'a ParamSpec {
    specs
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no parameter {name} in {specs:?}"))
}

#[test]
fn typed_calls_declare_types_and_metadata() {
    let specs = params(
        "SELECT {{String(user_id)}}\n\
         LIMIT {{Int32(limit, 100, description=\"Max rows\", required=True, example=\"10\", format='number')}}\n\
         AND t IN {{Array(event_type, 'String', default='a,b')}}\n\
         AND o = {{String(o, 'asc', enum=['asc', 'desc'])}}",
    );
    let names: Vec<_> = specs.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["user_id", "limit", "event_type", "o"]);
    assert_eq!(
        find(&specs, "limit"),
        &ParamSpec {
            name: "limit".into(),
            ty: ParamType::Int32,
            default: Some(Value::Str("100".into())),
            required: true,
            description: Some("Max rows".into()),
            example: Some("10".into()),
            enum_values: None,
            format: Some("number".into()),
            line: 2,
        }
    );
    let et = find(&specs, "event_type");
    assert_eq!(et.ty, ParamType::Array(Box::new(ParamType::String)));
    assert_eq!(et.ty.name(), "Array(String)");
    assert_eq!(et.default, Some(Value::Str("a,b".into())));
    assert_eq!(
        find(&specs, "o").enum_values,
        Some(vec!["asc".into(), "desc".into()])
    );
    assert_eq!(find(&specs, "user_id").default, None);
    assert!(!find(&specs, "user_id").required);
}

#[test]
fn every_type_is_discovered() {
    let src = "{{Int8(a)}}{{Int16(b)}}{{Int64(c)}}{{Int128(d)}}{{Int256(e)}}{{UInt8(f)}}\
               {{UInt16(g)}}{{UInt32(h)}}{{UInt64(i)}}{{UInt128(j)}}{{UInt256(k)}}{{Float32(l)}}\
               {{Float64(m)}}{{Date(n)}}{{DateTime(o)}}{{DateTime64(p)}}{{Boolean(r)}}{{Array(s, 'Int32')}}";
    let tys: Vec<String> = params(src).iter().map(|s| s.ty.name()).collect();
    assert_eq!(
        tys,
        [
            "Int8",
            "Int16",
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
            "Date",
            "DateTime",
            "DateTime64",
            "Boolean",
            "Array(Int32)"
        ]
    );
}

#[test]
fn other_reads_are_string_parameters_and_locals_are_not() {
    let specs = params(
        "{% if defined(country) %}{{ country }}{% end %}\
         {% set cols = 'a' %}{{ columns(cols) }}\
         {% for x in split_to_array(xs) %}{{ x }}{% end %}\
         {{ column(sort, 'date') }}",
    );
    let names: Vec<_> = specs.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["country", "xs", "sort"]);
    assert!(specs.iter().all(|s| s.ty == ParamType::String));
    assert_eq!(
        find(&specs, "sort").default,
        Some(Value::Str("date".into()))
    );
}

#[test]
fn a_typed_use_wins_over_an_earlier_untyped_one() {
    let specs = params(
        "{% if defined(d) %}{{Date(d, '2026-01-01')}}{% end %}{{Date(d, description='day')}}",
    );
    assert_eq!(specs.len(), 1);
    assert_eq!(specs[0].ty, ParamType::Date);
    assert_eq!(specs[0].default, Some(Value::Str("2026-01-01".into())));
    assert_eq!(specs[0].description.as_deref(), Some("day"));
    assert_eq!(specs[0].line, 1);
}

#[test]
fn list_defaults_and_negative_numbers() {
    let specs = params("{{Array(t, 'Int8', default=[1, -2])}}{{Int32(n, -1)}}{{Float64(f, 0.5)}}{{Boolean(b, True)}}");
    assert_eq!(
        specs[0].default,
        Some(Value::List(vec!["1".into(), "-2".into()]))
    );
    assert_eq!(specs[1].default, Some(Value::Str("-1".into())));
    assert_eq!(specs[2].default, Some(Value::Str("0.5".into())));
    assert_eq!(specs[3].default, Some(Value::Str("True".into())));
}

#[test]
fn reserved_names_are_refused() {
    for name in RESERVED_NAMES {
        for src in [
            format!("{{{{String({name})}}}}"),
            format!("x\n{{% if defined({name}) %}}{{% end %}}"),
            format!("{{{{ {name} }}}}"),
        ] {
            match Template::parse(&src) {
                Err(TemplateError::Reserved { name: n, .. }) => assert_eq!(n, *name),
                other => panic!("{src:?}: {other:?}"),
            }
        }
    }
    assert_eq!(
        Template::parse("a\n{{ Int32(token) }}").map(|_| ()),
        Err(TemplateError::Reserved {
            line: 2,
            name: "token".into()
        })
    );
    // As a keyword argument or a local it is not a parameter.
    assert!(Template::parse("{% set tag = 'x' %}{{ tag }}{{ String(x, format='f') }}").is_ok());
}
