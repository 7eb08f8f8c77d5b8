//! Template tests: rendering, validation, describe mode, sandbox refusals and the
//! guarantee that values stay inside their literals.

mod control;
mod describe;
mod helpers;
mod params;
mod props;
mod sandbox;
mod typed;

use super::{RenderMode, Template, TemplateError, Value, Vars};

/// Client values from pairs.
pub fn vars(pairs: &[(&str, &str)]) -> Vars {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect()
}

/// Renders in request mode.
pub fn render(src: &str, pairs: &[(&str, &str)]) -> Result<String, TemplateError> {
    Template::parse(src)?
        .render(&vars(pairs), RenderMode::Request)
        .map(|r| r.sql)
}

/// Renders in request mode, failing the test on error.
#[track_caller]
pub fn ok(src: &str, pairs: &[(&str, &str)]) -> String {
    match render(src, pairs) {
        Ok(sql) => sql,
        Err(e) => panic!("{src:?} failed: {e:?}"),
    }
}

/// Renders in describe mode with no values, failing the test on error.
#[track_caller]
pub fn describe(src: &str) -> String {
    match Template::parse(src).and_then(|t| t.render(&Vars::new(), RenderMode::Describe)) {
        Ok(r) => r.sql,
        Err(e) => panic!("{src:?} failed in describe mode: {e:?}"),
    }
}

/// The error of parsing or rendering, failing the test on success.
#[track_caller]
pub fn fails(src: &str, pairs: &[(&str, &str)]) -> TemplateError {
    match render(src, pairs) {
        Ok(sql) => panic!("{src:?} rendered {sql:?} but should fail"),
        Err(e) => e,
    }
}

/// Whitespace runs collapsed to one space, for comparing multi-line SQL.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn templates_can_be_shared_between_threads() {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<Template>();
    shared::<TemplateError>();
}
