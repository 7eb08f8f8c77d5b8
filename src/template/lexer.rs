//! Template text → chunks: plain text, `{{ expression }}` and `{% statement %}`, with
//! `{# comments #}` dropped. The rules are Tornado's: a tag ends at the first closing
//! delimiter, `{{!`/`{%!`/`{#!` stand for a literal `{{`/`{%`/`{#`, and in a run of three
//! or more braces the innermost pair opens the tag.

use super::TemplateError;

/// One piece of template text.
#[derive(Debug, Clone, PartialEq)]
pub enum Chunk {
    /// SQL text, copied to the output as is.
    Text(String),
    /// The inside of `{{ }}`, trimmed, and the line it starts on.
    Expr { src: String, line: usize },
    /// The inside of `{% %}`, trimmed, and the line it starts on.
    Stmt { src: String, line: usize },
}

/// Splits a template into chunks.
pub fn lex(src: &str) -> Result<Vec<Chunk>, TemplateError> {
    let mut chunks = Vec::new();
    let mut text = String::new();
    let mut pos = 0;
    let bytes = src.as_bytes();
    while pos < src.len() {
        let Some(open) = find_tag(bytes, pos) else {
            text.push_str(&src[pos..]);
            break;
        };
        text.push_str(&src[pos..open]);
        let line = line_at(src, open);
        let kind = bytes[open + 1];
        let body_start = open + 2;
        if bytes.get(body_start) == Some(&b'!') {
            // An escaped tag: output the two opening characters, consume the `!`.
            text.push_str(&src[open..body_start]);
            pos = body_start + 1;
            continue;
        }
        let close = match kind {
            b'{' => "}}",
            b'%' => "%}",
            _ => "#}",
        };
        let Some(rel_end) = src[body_start..].find(close) else {
            let what = match kind {
                b'{' => "expression `}}`",
                b'%' => "block `%}`",
                _ => "comment `#}`",
            };
            return Err(TemplateError::Syntax {
                line,
                message: format!("missing end of {what}"),
            });
        };
        let end = body_start + rel_end;
        let contents = &src[body_start..end];
        pos = end + 2;
        if kind == b'#' {
            continue;
        }
        let trimmed = contents.trim();
        // The line of the first non-blank character, so multi-line tags report well.
        let lead = contents.len() - contents.trim_start().len();
        let first_line = line + contents[..lead].matches('\n').count();
        if trimmed.is_empty() {
            return Err(TemplateError::Syntax {
                line,
                message: if kind == b'{' {
                    "empty expression `{{ }}`".into()
                } else {
                    "empty block `{% %}`".into()
                },
            });
        }
        if !text.is_empty() {
            chunks.push(Chunk::Text(std::mem::take(&mut text)));
        }
        let src = trimmed.to_string();
        chunks.push(if kind == b'{' {
            Chunk::Expr {
                src,
                line: first_line,
            }
        } else {
            Chunk::Stmt {
                src,
                line: first_line,
            }
        });
    }
    if !text.is_empty() {
        chunks.push(Chunk::Text(text));
    }
    Ok(chunks)
}

/// The byte offset of the next tag opening at or after `from`, if any.
fn find_tag(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' && matches!(bytes[i + 1], b'{' | b'%' | b'#') {
            // With three or more braces in a row, the innermost pair opens the tag.
            if bytes[i + 1] == b'{' && bytes.get(i + 2) == Some(&b'{') {
                i += 1;
                continue;
            }
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The 1-based line of a byte offset.
fn line_at(src: &str, offset: usize) -> usize {
    1 + src.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Chunk {
        Chunk::Text(s.into())
    }

    #[test]
    fn splits_text_expressions_statements_and_comments() {
        let chunks = lex("a {{ x }}\n{% if y %}b{# note #}{% end %}").expect("lexes");
        assert_eq!(
            chunks,
            vec![
                text("a "),
                Chunk::Expr {
                    src: "x".into(),
                    line: 1
                },
                text("\n"),
                Chunk::Stmt {
                    src: "if y".into(),
                    line: 2
                },
                text("b"),
                Chunk::Stmt {
                    src: "end".into(),
                    line: 2
                },
            ]
        );
    }

    #[test]
    fn escapes_and_brace_runs() {
        assert_eq!(lex("{{!x}}").expect("lexes"), vec![text("{{x}}")]);
        assert_eq!(
            lex("{{{x}}}").expect("lexes"),
            vec![
                text("{"),
                Chunk::Expr {
                    src: "x".into(),
                    line: 1
                },
                text("}")
            ]
        );
        assert_eq!(
            lex("{x} {a:String}").expect("lexes"),
            vec![text("{x} {a:String}")]
        );
    }

    #[test]
    fn unterminated_and_empty_tags_are_errors() {
        assert!(matches!(
            lex("a\n{{ x"),
            Err(TemplateError::Syntax { line: 2, .. })
        ));
        assert!(matches!(
            lex("{% if"),
            Err(TemplateError::Syntax { line: 1, .. })
        ));
        assert!(matches!(lex("{# x"), Err(TemplateError::Syntax { .. })));
        assert!(matches!(lex("{{  }}"), Err(TemplateError::Syntax { .. })));
    }
}
