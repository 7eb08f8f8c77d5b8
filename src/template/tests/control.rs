//! Blocks (`if`, `for`, `set`), bare variables, comments and syntax errors.

use super::{fails, ok, squash};
use crate::template::{Template, TemplateError};

#[test]
fn if_elif_else_pick_one_branch() {
    let src = "{% if x == 'a' %}A{% elif x == 'b' %}B{% else %}C{% end %}";
    assert_eq!(ok(src, &[("x", "a")]), "A");
    assert_eq!(ok(src, &[("x", "b")]), "B");
    assert_eq!(ok(src, &[("x", "z")]), "C");
    assert_eq!(ok(src, &[]), "C");
}

#[test]
fn defined_tests_for_a_client_value() {
    let src = "SELECT 1{% if defined(x) %} WHERE x = {{String(x)}}{% end %}";
    assert_eq!(ok(src, &[]), "SELECT 1");
    assert_eq!(ok(src, &[("x", "")]), "SELECT 1 WHERE x = ''");
    assert_eq!(ok("{% if not defined(x) %}none{% end %}", &[]), "none");
}

#[test]
fn conditions_use_typed_values() {
    let src = "{% if Int32(lim, 10) > 100 %}big{% else %}small{% end %}";
    assert_eq!(ok(src, &[]), "small");
    assert_eq!(ok(src, &[("lim", "500")]), "big");
    let src = "{% if defined(a) and (Int8(a) < 0 or Int8(a) >= 50) %}out{% end %}";
    assert_eq!(ok(src, &[("a", "60")]), "out");
    assert_eq!(ok(src, &[("a", "10")]), "");
    assert_eq!(ok("{% if 1 < 2 <= 2 %}chain{% end %}", &[]), "chain");
    assert_eq!(
        ok(
            "{% if 'b' in ['a', 'b'] and 'z' not in 'abc' %}in{% end %}",
            &[]
        ),
        "in"
    );
    assert_eq!(
        ok(
            "{% if x is None %}none{% end %}{% if y is not None %}y{% end %}",
            &[("y", "1")]
        ),
        "noney"
    );
}

#[test]
fn nested_blocks() {
    let src = "{% if defined(a) %}a{% if defined(b) %}b{% else %}-{% end %}{% end %}";
    assert_eq!(ok(src, &[("a", "1")]), "a-");
    assert_eq!(ok(src, &[("a", "1"), ("b", "1")]), "ab");
    assert_eq!(ok(src, &[("b", "1")]), "");
}

#[test]
fn for_loops_over_split_values() {
    let src = "{% for c in split_to_array(cs, 'x') %} OR c = {{String(c)}}{% end %}";
    assert_eq!(ok(src, &[("cs", "a, b")]), " OR c = 'a' OR c = 'b'");
    assert_eq!(ok(src, &[]), " OR c = 'x'");
}

#[test]
fn for_unpacks_tuples_and_honours_break_and_continue() {
    let src = "{% for last, v in enumerate_with_last(split_to_array(xs)) %}{{v}}{% if not last %},{% end %}{% end %}";
    assert_eq!(ok(src, &[("xs", "a,b,c")]), "'a','b','c'");
    let src = "{% for i, v in enumerate([10, 20, 30, 40]) %}{% if i == 1 %}{% continue %}{% end %}{% if i == 3 %}{% break %}{% end %}{{v}};{% end %}";
    assert_eq!(ok(src, &[]), "10;30;");
}

#[test]
fn set_binds_a_local() {
    assert_eq!(
        ok("{% set cols = 'a,b' %}{{columns(cols)}}", &[]),
        "`a`,`b`"
    );
    assert_eq!(ok("{% set n = Int32(x, 2) * 3 %}{{n}}", &[]), "6");
    assert_eq!(
        ok(
            "{% set s = ','.join(split_to_array(xs)) %}{{s}}",
            &[("xs", "a, b")]
        ),
        "'a,b'"
    );
}

#[test]
fn bare_variables_render_as_escaped_strings() {
    assert_eq!(ok("a = {{x}}", &[("x", "1")]), "a = '1'");
    assert_eq!(
        ok("a = {{x}}", &[("x", "';DROP TABLE users;--")]),
        r"a = '\';DROP TABLE users;--'"
    );
    assert_eq!(ok("{{x + 'y'}}", &[("x", "\\")]), r"'\\y'");
    assert_eq!(
        fails("a = {{x}}", &[]),
        TemplateError::MissingParam {
            line: 1,
            name: "x".into()
        }
    );
}

#[test]
fn literal_values_render_as_sql() {
    assert_eq!(
        ok(
            "{{1}} {{-2}} {{1.5}} {{True}} {{'s'}} {{[1, 'a']}} {{(1, 2)}}",
            &[]
        ),
        "1 (-2) 1.5 1 's' [1,'a'] (1,2)"
    );
    assert!(matches!(fails("{{None}}", &[]), TemplateError::Eval { .. }));
    assert!(matches!(
        fails("{{ {'a': 1} }}", &[]),
        TemplateError::Eval { .. }
    ));
}

#[test]
fn comments_and_escaped_tags() {
    assert_eq!(ok("a{# {{ nothing }} #}b", &[]), "ab");
    assert_eq!(ok("{{! not a tag }}", &[]), "{{ not a tag }}");
    assert_eq!(ok("{%! raw %}", &[]), "{% raw %}");
    assert_eq!(ok("{% comment anything %}x", &[]), "x");
    assert_eq!(ok("SELECT {a:String}", &[]), "SELECT {a:String}");
}

#[test]
fn text_is_kept_verbatim() {
    let src = "SELECT *\n  FROM t  -- c\n WHERE 1\n";
    assert_eq!(ok(src, &[]), src);
}

#[test]
fn unbalanced_blocks_are_syntax_errors_with_lines() {
    let cases = [
        ("a\n{% if x %}\nb", 2),
        ("{% end %}", 1),
        ("x\n{% else %}", 2),
        ("{% elif x %}", 1),
        ("{% for x in y %}", 1),
        ("{% if a %}{% else %}{% else %}{% end %}", 1),
        ("{% if a %}{% else %}{% elif b %}{% end %}", 1),
        ("\n\n{% break %}", 3),
        ("{% frobnicate %}", 1),
        ("{% if %}{% end %}", 1),
        ("{% set x %}", 1),
        ("{% end x %}", 1),
    ];
    for (src, line) in cases {
        match Template::parse(src) {
            Err(TemplateError::Syntax { line: l, .. }) => assert_eq!(l, line, "{src:?}"),
            other => panic!("{src:?}: {other:?}"),
        }
    }
}

#[test]
fn expression_syntax_errors() {
    for src in [
        "{{ 1 + }}",
        "{{ f( }}",
        "{{ 'abc }}",
        "{{ [1, 2 }}",
        "{{ 1 2 }}",
        "{{ x[0 }}",
    ] {
        assert!(
            matches!(
                Template::parse(src),
                Err(TemplateError::Syntax { .. }) | Err(TemplateError::Sandbox { .. })
            ),
            "{src}"
        );
    }
}

#[test]
fn errors_carry_template_lines() {
    let src = "SELECT\n  1\n  {{ Int32(x) }}";
    assert_eq!(
        fails(src, &[("x", "y")]),
        TemplateError::InvalidParam {
            line: 3,
            name: "x".into(),
            message: "expected Int32, got 'y'".into()
        }
    );
    assert_eq!(fails(src, &[]).line(), Some(3));
    let src = "a\n{% if defined(x) %}\n\n{{ x / 2 }}\n{% end %}";
    assert!(matches!(
        Template::parse(src),
        Err(TemplateError::Sandbox { line: 4, .. })
    ));
    let src = "{{ String(\n  x\n  ) + 1 }}";
    // A runtime error reports the line of its operator.
    assert_eq!(fails(src, &[("x", "a")]).line(), Some(3));
}

#[test]
fn multi_line_tags() {
    let src = "SELECT {{\n  String(\n    x,\n    'd'\n  )\n}} AS v";
    assert_eq!(squash(&ok(src, &[])), "SELECT 'd' AS v");
}
