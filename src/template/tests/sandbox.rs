//! What the sandbox refuses, and the limits that bound a render.

use super::fails;
use crate::template::{Template, TemplateError};

#[track_caller]
fn refused(src: &str) {
    match Template::parse(src) {
        Err(TemplateError::Sandbox { .. }) => {}
        other => panic!("{src:?} should be refused by the sandbox, got {other:?}"),
    }
}

#[test]
fn imports_and_dunder_names_are_refused() {
    refused("{{ __import__('os').system('id') }}");
    refused("{{ __builtins__ }}");
    refused("{% set __x = 1 %}");
    refused("{{ String(x, __class__=1) }}");
    refused("{% import os %}");
    refused("{% from os import path %}");
    refused("{{ import }}");
}

#[test]
fn attribute_access_is_refused() {
    refused("{{ x.__class__ }}");
    refused("{{ x.upper() }}");
    refused("{{ ''.__class__.__mro__ }}");
    refused("{{ x.split }}");
    refused("{{ String(x).format(1) }}");
}

#[test]
fn forbidden_operators_are_refused() {
    refused("{{ 10 / 2 }}");
    refused("{{ 10 // 2 }}");
    refused("{{ 2 ** 64 }}");
    refused("{{ len([1] * 10**7) }}");
    refused("{{ '%s' % x }}");
    refused("{{ 1 | 2 }}");
    refused("{{ ~1 }}");
    refused("{{ (y := 1) }}");
    refused("{% if a / b %}{% end %}");
}

#[test]
fn lambdas_comprehensions_and_fstrings_are_refused() {
    refused("{{ (lambda: 1)() }}");
    refused("{{ lambda x: x }}");
    refused("{{ [c for c in x] }}");
    refused("{{ list(c for c in x) }}");
    refused("{{ {k: 1 for k in x} }}");
    refused("{{ f'{x}' }}");
    refused("{{ b'x' }}");
    refused("{{ {1, 2} }}");
    refused("{{ x[1:2] }}");
}

#[test]
fn only_whitelisted_functions_can_be_called() {
    for f in [
        "open('/etc/passwd')",
        "eval('1')",
        "exec('1')",
        "getattr(x, 'y')",
        "globals()",
        "print(1)",
        "whatever(x)",
        "type(x)",
        "x(1)",
        "x[0](1)",
        "String(x)(y)",
    ] {
        refused(&format!("{{{{ {f} }}}}"));
    }
    refused("{% if whatever(passenger_count) %}{% end %}");
}

#[test]
fn unsupported_blocks_are_refused() {
    for b in [
        "raw x",
        "include 'f'",
        "extends 'f'",
        "module x",
        "apply f",
        "autoescape None",
        "block b",
        "while True",
        "try",
        "whitespace all",
    ] {
        refused(&format!("{{% {b} %}}{{% end %}}"));
    }
}

#[test]
fn star_arguments_are_refused() {
    refused("{{ sql_and(**x) }}");
    refused("{{ max(*x) }}");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{{{{ {}1{} }}}}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(matches!(
        Template::parse(&deep),
        Err(TemplateError::Syntax { .. })
    ));
    let deep = format!("{{{{ {}1 }}}}", "not ".repeat(10_000));
    assert!(matches!(
        Template::parse(&deep),
        Err(TemplateError::Syntax { .. })
    ));
    let deep = format!("{{{{ {}1 }}}}", "-".repeat(10_000));
    assert!(matches!(
        Template::parse(&deep),
        Err(TemplateError::Syntax { .. })
    ));
    let deep = "{% if 1 %}".repeat(1000) + &"{% end %}".repeat(1000);
    assert!(matches!(
        Template::parse(&deep),
        Err(TemplateError::Syntax { .. })
    ));
}

#[test]
fn work_is_bounded() {
    for src in [
        "{{ 'a' * 100000000 }}",
        "{{ [0] * 100000000 }}",
        "{{ range(100000000) }}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% end %}{% end %}",
        "{% set s = 'aaaaaaaaaa' * 100000 %}{{ s.replace('a', s) }}",
        "{{ 9223372036854775807 * 9223372036854775807 * 9223372036854775807 }}",
    ] {
        assert!(
            matches!(fails(src, &[]), TemplateError::Eval { .. }),
            "{src}"
        );
    }
}
