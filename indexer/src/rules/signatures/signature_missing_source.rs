//! G002 signature-missing-source.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::signatures::{first_line, signature_items, text_of};

/// The rule.
pub static RULE: Rule = Rule {
    code: "G002",
    name: "signature-missing-source",
    family: Family::Signatures,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A signature without an http(s) `source`",
    doc: r#"## What it does
Checks that every signature has a `source`: an `http://` or `https://` link to the
software's source, documentation or a public issue where the message is printed.

## Why is this bad?
A signature is a claim that real software prints this line. Without a source nobody can check
it, and an invented message sends on-call engineers to the wrong problem.

## Example
```yaml
signatures:
  - "FATAL: sorry, too many clients already"
```

Use instead:
```yaml
signatures:
  - text: "FATAL: sorry, too many clients already"
    source: https://github.com/postgres/postgres/blob/master/src/backend/storage/ipc/procarray.c
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    for item in signature_items(ctx) {
        let Some((_, text)) = text_of(item) else {
            continue;
        };
        let source = item.get("source").and_then(|node| node.as_str());
        let web = source.is_some_and(|url| {
            let lower = url.trim().to_ascii_lowercase();
            (lower.starts_with("https://") || lower.starts_with("http://")) && lower.len() > 8
        });
        if web {
            continue;
        }
        let (span, label) = match item.get("source") {
            Some(node) => (node.span.clone(), "not an http(s) link"),
            None => (first_line(ctx, item), "no `source`"),
        };
        out.push(
            Diagnostic::new(
                &RULE,
                ctx.index,
                span,
                format!("signature `{}` has no source", text.trim()),
            )
            .label(label)
            .help("add `source:` with a link to where the software prints it (source, docs or a public issue)"),
        );
    }
}
