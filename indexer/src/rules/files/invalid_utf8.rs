//! X001 invalid-utf8.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};

/// The rule.
pub static RULE: Rule = Rule {
    code: "X001",
    name: "invalid-utf8",
    family: Family::Files,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A markdown file that is not valid UTF-8",
    doc: r#"## What it does
Reports the first byte sequence of a markdown file that is not valid UTF-8. The rest of the
file is still checked, with invalid bytes replaced by `�`.

## Why is this bad?
Static site generators and browsers show mojibake or refuse the file; search indexes garbled
words that nobody can find.

## Example
A file saved as Latin-1 with `café` written as the single byte `0xE9`.

Use instead: save the file as UTF-8.
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(offset) = ctx.doc.file.utf8_error else {
        return;
    };
    let text = &ctx.doc.file.text;
    let start = crate::source::floor_char_boundary(text, offset);
    let end = text[start..]
        .char_indices()
        .nth(1)
        .map_or(text.len(), |(i, _)| start + i);
    out.push(
        Diagnostic::new(&RULE, ctx.index, start..end, "file is not valid UTF-8")
            .label("invalid byte sequence")
            .help("re-encode the file as UTF-8"),
    );
}
