//! Describe mode, and the pipes of the guide and the demo project in both modes.

use super::{describe, fails, ok, squash, vars};
use crate::template::{ParamType, RenderMode, Template, TemplateError};

/// The templated node of the Tinybird guide's `aggregate_user_events` pipe.
const GUIDE: &str = "\
SELECT
    user_id,
    event_type,
    count() as event_count,
    uniq(event_id) as unique_events,
    min(timestamp) as first_event,
    max(timestamp) as last_event,
    round(avg(length(payload)), 2) as avg_payload_size
FROM user_events
WHERE timestamp >= {{ DateTime(date_from) }} -- query params
  AND timestamp < {{ DateTime(date_to) }}
  {% if defined(user_id) %}
    AND user_id = {{ String(user_id) }}
  {% else %}
    {{ error('user_id must be defined') }} -- API error logic
  {% end %}
  {% if defined(event_type) %}
    AND event_type IN {{ Array(event_type, 'String') }}
  {% end %}
GROUP BY user_id
ORDER BY event_count DESC
LIMIT {{ Int32(limit, 100) }} -- dynamic limit
";

const GUIDE_HEAD: &str = "SELECT user_id, event_type, count() as event_count, uniq(event_id) as \
    unique_events, min(timestamp) as first_event, max(timestamp) as last_event, \
    round(avg(length(payload)), 2) as avg_payload_size FROM user_events";

#[test]
fn guide_pipe_with_user_id() {
    let sql = ok(
        GUIDE,
        &[
            ("date_from", "2025-10-01 00:00:00"),
            ("date_to", "2025-11-01"),
            ("user_id", "123"),
        ],
    );
    assert_eq!(
        squash(&sql),
        format!(
            "{GUIDE_HEAD} WHERE timestamp >= '2025-10-01 00:00:00' -- query params \
             AND timestamp < '2025-11-01 00:00:00' AND user_id = '123' \
             GROUP BY user_id ORDER BY event_count DESC LIMIT 100 -- dynamic limit"
        )
    );
    let sql = ok(
        GUIDE,
        &[
            ("date_from", "2025-10-01 00:00:00"),
            ("date_to", "2025-11-01 00:00:00"),
            ("user_id", "u'1"),
            ("event_type", "click,view"),
            ("limit", "5"),
        ],
    );
    assert!(squash(&sql).contains(
        r"AND user_id = 'u\'1' AND event_type IN ['click','view'] GROUP BY user_id ORDER BY event_count DESC LIMIT 5"
    ), "{sql}");
}

#[test]
fn guide_pipe_without_user_id_is_the_templates_error() {
    assert_eq!(
        fails(
            GUIDE,
            &[
                ("date_from", "2025-10-01 00:00:00"),
                ("date_to", "2025-11-01 00:00:00")
            ]
        ),
        TemplateError::UserError {
            line: 15,
            message: "user_id must be defined".into()
        }
    );
    assert_eq!(
        fails(GUIDE, &[("user_id", "1")]),
        TemplateError::MissingParam {
            line: 10,
            name: "date_from".into()
        }
    );
}

#[test]
fn guide_pipe_in_describe_mode() {
    assert_eq!(
        squash(&describe(GUIDE)),
        format!(
            "{GUIDE_HEAD} WHERE timestamp >= '1970-01-01 00:00:00' -- query params \
             AND timestamp < '1970-01-01 00:00:00' AND user_id = '' AND event_type IN [''] \
             GROUP BY user_id ORDER BY event_count DESC LIMIT 100 -- dynamic limit"
        )
    );
    let specs = Template::parse(GUIDE).expect("parses").params();
    let summary: Vec<(String, String)> = specs
        .iter()
        .map(|s| (s.name.clone(), s.ty.name()))
        .collect();
    let expected = [
        ("date_from", "DateTime"),
        ("date_to", "DateTime"),
        ("user_id", "String"),
        ("event_type", "Array(String)"),
        ("limit", "Int32"),
    ];
    assert_eq!(
        summary,
        expected
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .to_vec()
    );
}

#[test]
fn describe_takes_default_then_example_then_placeholder() {
    assert_eq!(describe("{{Int32(a, 7, example='9')}}"), "7");
    assert_eq!(describe("{{Int32(a, example='9')}}"), "9");
    assert_eq!(describe("{{Int32(a)}}"), "0");
    assert_eq!(describe("{{String(a)}}"), "''");
    assert_eq!(describe("{{Float64(a)}}"), "0.0");
    assert_eq!(describe("{{Date(a)}}"), "'1970-01-01'");
    assert_eq!(describe("{{DateTime64(a)}}"), "'1970-01-01 00:00:00.000'");
    assert_eq!(describe("{{Boolean(a)}}"), "0");
    assert_eq!(describe("{{UInt256(a)}}"), "0");
    assert_eq!(describe("{{Array(a, 'Int32')}}"), "[0]");
    assert_eq!(
        describe("{{Array(a, 'String', example='x,y')}}"),
        "['x','y']"
    );
    assert_eq!(
        describe("{{String(a, description='d', example='ES')}}"),
        "'ES'"
    );
}

#[test]
fn describe_treats_every_parameter_as_defined() {
    let src = "{% if defined(x) %}{{String(x)}}{% else %}{{error('x is required')}}{% end %}";
    assert_eq!(describe(src), "''");
    assert_eq!(
        describe("{% if not defined(x) %}{{error('no')}}{% end %}ok"),
        "ok"
    );
    assert_eq!(
        describe("a{{ error('always') }}{{ custom_error('also', 400) }}b"),
        "ab"
    );
}

#[test]
fn describe_resolves_bare_names_through_their_declaration() {
    assert_eq!(describe("{{x}} {{Int32(x, 5)}}"), "5 5");
    assert_eq!(describe("{{y}}"), "''");
    assert_eq!(describe("{% if Int32(n, 3) > 2 %}big{% end %}"), "big");
    assert_eq!(
        describe("{{column(c, 'ts')}} {{symbol(s)}}"),
        "`ts` `placeholder`"
    );
    assert_eq!(describe("{{split_to_array(t, 'a,b')}}"), "['a','b']");
    assert_eq!(describe("{{day_diff(a, b)}}"), "0");
    assert_eq!(
        describe("{% for v in split_to_array(vs) %}[{{v}}]{% end %}"),
        "['']"
    );
}

#[test]
fn describe_uses_client_values_when_given() {
    let t = Template::parse("{{Int32(a, 1)}} {{String(b)}}").expect("parses");
    let r = t
        .render(&vars(&[("b", "x")]), RenderMode::Describe)
        .expect("renders");
    assert_eq!(r.sql, "1 'x'");
    assert!(matches!(
        t.render(&vars(&[("a", "z")]), RenderMode::Describe),
        Err(TemplateError::InvalidParam { .. })
    ));
}

#[test]
fn demo_project_pipes_render() {
    let top_pages = "\
SELECT pathname, count() AS views, uniq(visitor_id) AS visitors
FROM events
WHERE event = 'page_view'
  AND timestamp >= {{ Date(date_from, '2026-01-01', description=\"First day of the range (inclusive)\", example=\"2026-11-01\") }}
  AND timestamp < {{ Date(date_to, '2100-01-01', description=\"Day after the range (exclusive)\", example=\"2026-12-01\") }}
GROUP BY pathname
ORDER BY views DESC, pathname
LIMIT {{ Int32(lim, 10, description=\"How many pages to return\", example=\"10\") }}";
    assert!(describe(top_pages).contains("timestamp >= '2026-01-01'"));
    let sql = ok(top_pages, &[("date_from", "2026-11-01"), ("lim", "3")]);
    assert!(
        sql.contains("timestamp >= '2026-11-01'") && sql.ends_with("LIMIT 3"),
        "{sql}"
    );
    let specs = Template::parse(top_pages).expect("parses").params();
    assert_eq!(specs[2].ty, ParamType::Int32);
    assert_eq!(specs[2].example.as_deref(), Some("10"));
    assert_eq!(
        specs[0].description.as_deref(),
        Some("First day of the range (inclusive)")
    );

    let sessions = "\
WHERE timestamp >= {{ Date(date_from, '2026-01-01', description=\"First day (inclusive)\") }}
  {% if defined(country) %}
  AND country = {{ String(country, description=\"Two-letter country code\", example=\"ES\") }}
  {% end %}";
    assert!(describe(sessions).contains("AND country = 'ES'"));
    assert!(!ok(sessions, &[]).contains("country"));
}

#[test]
fn describe_falls_back_to_the_first_enum_value() {
    assert_eq!(describe("{{String(o, enum=['asc', 'desc'])}}"), "'asc'");
    assert_eq!(
        describe("{{String(o, 'desc', enum=['asc', 'desc'])}}"),
        "'desc'"
    );
}
