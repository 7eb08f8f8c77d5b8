//! Tinybird's helpers and the Python builtins and methods.

use super::{fails, ok, vars};
use crate::template::{RenderMode, Template, TemplateError};

#[test]
fn sql_and_renders_each_operator() {
    let src = "{{sql_and(a=String(a, defined=False), b__in=Array(b, 'Int32', defined=False), \
               c__not_in=Array(c, defined=False), d__gt=Int32(d, defined=False), \
               e__lt=Int32(e, defined=False), f__gte=Float64(f, defined=False), \
               g__lte=Date(g, defined=False))}}";
    let all = [
        ("a", "x"),
        ("b", "1,2"),
        ("c", "p,q"),
        ("d", "4"),
        ("e", "-5"),
        ("f", "0.5"),
        ("g", "2026-01-01"),
    ];
    assert_eq!(
        ok(src, &all),
        "a = 'x' AND b IN [1,2] AND c NOT IN ['p','q'] AND d > 4 AND e < (-5) AND f >= 0.5 AND g <= '2026-01-01'"
    );
    assert_eq!(ok(src, &[("d", "4")]), "d > 4");
    assert_eq!(ok(src, &[]), "1");
}

#[test]
fn sql_and_with_plain_values() {
    assert_eq!(
        ok("{{sql_and(a=a, b=b)}}", &[("a", "1"), ("b", "2")]),
        "a = '1' AND b = '2'"
    );
    assert_eq!(ok("{{sql_and(a=a, b=b)}}", &[("b", "2")]), "b = '2'");
    assert_eq!(ok("{{sql_and(a__in=a)}}", &[("a", "x")]), "a IN ['x']");
    assert_eq!(ok("WHERE {{sql_and()}}", &[]), "WHERE 1");
}

#[test]
fn sql_and_refuses_unknown_operators() {
    assert!(matches!(
        Template::parse("{{sql_and(a__like=x)}}"),
        Err(TemplateError::Syntax { .. })
    ));
    assert!(matches!(
        Template::parse("{{sql_and(x)}}"),
        Err(TemplateError::Syntax { .. })
    ));
}

#[test]
fn column_renders_a_validated_identifier() {
    assert_eq!(ok("{{column(c)}}", &[("c", "views")]), "`views`");
    assert_eq!(ok("{{column(c)}}", &[("c", "json.a")]), "`json`.`a`");
    assert_eq!(ok("{{column(c)}}", &[("c", "\"quoted\"")]), "`quoted`");
    assert_eq!(ok("{{column(c, 'date')}}", &[]), "`date`");
    for bad in ["a`b", "a\\b", "", "a\nb", "x'", "a..b"] {
        assert!(
            matches!(
                fails("{{column(c)}}", &[("c", bad)]),
                TemplateError::InvalidParam { .. }
            ),
            "{bad:?}"
        );
    }
    assert!(matches!(
        fails("{{column(c)}}", &[]),
        TemplateError::Eval { .. }
    ));
}

#[test]
fn columns_renders_a_list_of_identifiers() {
    assert_eq!(ok("{{columns(cs, 'a,b')}}", &[]), "`a`,`b`");
    assert_eq!(
        ok("{{columns(cs, 'a')}}", &[("cs", "x, y.z")]),
        "`x`,`y`.`z`"
    );
    assert!(matches!(
        fails("{{columns(cs)}}", &[("cs", "a,`b`")]),
        TemplateError::InvalidParam { .. }
    ));
}

#[test]
fn symbol_and_table() {
    assert_eq!(ok("{{symbol(s)}}", &[("s", "table-name")]), "`table-name`");
    assert!(matches!(
        fails("{{symbol(s)}}", &[("s", "a`; DROP")]),
        TemplateError::InvalidParam { .. }
    ));
    assert!(matches!(
        fails("{{symbol(s)}}", &[]),
        TemplateError::MissingParam { .. }
    ));
    assert_eq!(ok("{{table('events')}}", &[]), "`events`");
    assert!(matches!(
        Template::parse("{{table(t)}}"),
        Err(TemplateError::Sandbox { .. })
    ));
    assert!(matches!(
        fails("{{table('a`b')}}", &[]),
        TemplateError::InvalidParam { .. }
    ));
}

#[test]
fn split_to_array_defaults_and_separators() {
    assert_eq!(
        ok("{{split_to_array(x)}}", &[("x", "a, b ,c")]),
        "['a','b','c']"
    );
    assert_eq!(ok("{{split_to_array(x, 'd')}}", &[]), "['d']");
    assert_eq!(
        ok("{{split_to_array(x, '', '|')}}", &[("x", "a|b")]),
        "['a','b']"
    );
    assert_eq!(
        ok("{{split_to_array(x, separator=';')}}", &[("x", "1;2")]),
        "['1','2']"
    );
    assert_eq!(ok("{{split_to_array(x)}}", &[]), "['']");
}

#[test]
fn date_differences() {
    assert_eq!(
        ok(
            "{{day_diff(a, b)}}",
            &[("a", "2019-01-02"), ("b", "2019-02-01")]
        ),
        "30"
    );
    assert_eq!(ok("{{day_diff('2019-02-01', '2019-01-02')}}", &[]), "30");
    assert!(matches!(
        fails("{{day_diff('2019/01/01', '2019-01-02')}}", &[]),
        TemplateError::Eval { .. }
    ));
    assert_eq!(
        ok(
            "{{date_diff_in_seconds('2022-12-19 18:42:22', '2022-12-19 18:43:22')}}",
            &[]
        ),
        "60"
    );
    assert_eq!(
        ok(
            "{{date_diff_in_minutes('2022-12-14 18:42:22', '2022-12-19 18:42:22')}}",
            &[]
        ),
        "7200"
    );
    assert_eq!(
        ok("{{date_diff_in_hours('2022-12-19T20:43:22Z', '2022-12-19T18:42:23Z', '%Y-%m-%dT%H:%M:%Sz')}}", &[]),
        "2"
    );
    assert_eq!(
        ok("{{date_diff_in_hours('2022-12-19', '2022-12-19 02:01:00', backup_date_format='%Y-%m-%d')}}", &[]),
        "2"
    );
    assert_eq!(
        ok("{{date_diff_in_days('2019-01-01', '2019-01-04')}}", &[]),
        "3"
    );
    assert_eq!(
        ok(
            "{% if date_diff_in_days('x', 'y', none_if_error=True) is None %}none{% end %}",
            &[]
        ),
        "none"
    );
}

#[test]
fn error_raises_a_user_error() {
    assert_eq!(
        fails("a\n{{ error('bad input') }}", &[]),
        TemplateError::UserError {
            line: 2,
            message: "bad input".into()
        }
    );
    assert!(matches!(
        fails("{{ error('x', 404) }}", &[]),
        TemplateError::UserError { .. }
    ));
}

#[test]
fn custom_error_carries_status_and_body() {
    match fails("{{ custom_error('gone', 410) }}", &[]) {
        TemplateError::CustomError {
            message,
            status,
            body,
            ..
        } => {
            assert_eq!((message.as_str(), status, body), ("gone", Some(410), None));
        }
        other => panic!("{other:?}"),
    }
    match fails("{{ custom_error({'error': 'nope', 'code': 7}, 403) }}", &[]) {
        TemplateError::CustomError {
            message,
            status,
            body,
            ..
        } => {
            assert_eq!(message, "nope");
            assert_eq!(status, Some(403));
            assert_eq!(
                body.as_deref(),
                Some(&serde_json::json!({"error": "nope", "code": 7}))
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        fails("{{ custom_error('x', 99) }}", &[]),
        TemplateError::Eval { .. }
    ));
}

#[test]
fn max_threads_and_cache_ttl_set_the_result() {
    let t = Template::parse("{{max_threads(4)}}{{cache_ttl('5m')}}SELECT 1").expect("parses");
    let r = t.render(&vars(&[]), RenderMode::Request).expect("renders");
    assert_eq!(
        (r.sql.as_str(), r.max_threads, r.cache_ttl),
        ("SELECT 1", Some(4), Some(300))
    );
    let t = Template::parse("{{cache_ttl(60)}}{{cache_ttl('1h')}}").expect("parses");
    let r = t.render(&vars(&[]), RenderMode::Request).expect("renders");
    assert_eq!(r.cache_ttl, Some(3600));
    assert!(matches!(
        fails("{{max_threads(0)}}", &[]),
        TemplateError::Eval { .. }
    ));
    assert!(matches!(
        fails("{{cache_ttl('soon')}}", &[]),
        TemplateError::Eval { .. }
    ));
}

#[test]
fn python_builtins() {
    assert_eq!(
        ok(
            "{{len('héllo')}} {{len([1, 2])}} {{len(split_to_array(x))}}",
            &[("x", "a,b,c")]
        ),
        "5 2 3"
    );
    assert_eq!(
        ok(
            "{{str(12)}} {{int('42')}} {{int(3.9)}} {{float('1.5')}}",
            &[]
        ),
        "'12' 42 3 1.5"
    );
    assert_eq!(
        ok(
            "{{min(3, 1, 2)}} {{max([1, 5])}} {{sum([1, 2, 3])}} {{abs(-4)}}",
            &[]
        ),
        "1 5 6 4"
    );
    assert_eq!(
        ok("{{round(2.5)}} {{round(1.25, 1)}} {{list(range(3))}}", &[]),
        "2 1.2 [0,1,2]"
    );
    assert_eq!(ok("{{range(10, 0, -3)}}", &[]), "[10,7,4,1]");
    assert!(matches!(
        fails("{{int('x')}}", &[]),
        TemplateError::Eval { .. }
    ));
    assert!(matches!(
        fails("{{min([])}}", &[]),
        TemplateError::Eval { .. }
    ));
    assert!(matches!(
        fails("{{range(1, 2, 0)}}", &[]),
        TemplateError::Eval { .. }
    ));
}

#[test]
fn whitelisted_methods() {
    assert_eq!(ok("{{x.split(',')}}", &[("x", "a,b")]), "['a','b']");
    assert_eq!(ok("{{x.split()}}", &[("x", " a  b ")]), "['a','b']");
    assert_eq!(ok("{{x.split(',', 1)}}", &[("x", "a,b,c")]), "['a','b,c']");
    assert_eq!(ok("{{'-'.join(['a', 'b'])}}", &[]), "'a-b'");
    assert_eq!(
        ok("{{x.replace('a', 'o')}}", &[("x", "banana")]),
        "'bonono'"
    );
    assert_eq!(
        ok("{{ {'k': 1}.get('k') }} {{ {'k': 1}.get('z', 2) }}", &[]),
        "1 2"
    );
    assert_eq!(ok("{{x[0]}} {{x[-1]}}", &[("x", "abc")]), "'a' 'c'");
    assert!(matches!(
        fails("{{x.get('a')}}", &[("x", "s")]),
        TemplateError::Eval { .. }
    ));
    assert!(matches!(
        fails("{{'-'.join([1])}}", &[]),
        TemplateError::Eval { .. }
    ));
    assert!(matches!(
        fails("{{x[5]}}", &[("x", "abc")]),
        TemplateError::Eval { .. }
    ));
}

#[test]
fn python_expression_semantics() {
    assert_eq!(
        ok(
            "{{1 + 2 * 3}} {{(1 + 2) * 3}} {{'ab' * 2}} {{[0] * 3}}",
            &[]
        ),
        "7 9 'abab' [0,0,0]"
    );
    assert_eq!(
        ok("{{'a' 'b'}} {{\"d\\\"q\"}} {{r'\\n'}}", &[]),
        r#"'ab' 'd"q' '\\n'"#
    );
    assert_eq!(
        ok(
            "{{1 if x else 2}} {{x or 'dflt'}} {{y and 'y'}}",
            &[("y", "1")]
        ),
        "2 'dflt' 'y'"
    );
    assert!(matches!(
        fails("{{'a' + 1}}", &[]),
        TemplateError::Eval { .. }
    ));
    assert!(matches!(
        fails("{{'a' < 1}}", &[]),
        TemplateError::Eval { .. }
    ));
}

#[test]
fn errors_stay_small() {
    assert!(std::mem::size_of::<TemplateError>() <= 64);
}
