//! G001 empty-signature.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::signatures::{first_line, signature_items, text_of};

/// The rule.
pub static RULE: Rule = Rule {
    code: "G001",
    name: "empty-signature",
    family: Family::Signatures,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A signature without text",
    doc: r#"## What it does
Checks that every item of the signatures field has a non-empty `text`.

## Why is this bad?
Triage matches pasted log lines against signatures; an empty one matches nothing and tells
the reader nothing.

## Example
```yaml
signatures:
  - source: https://github.com/brettwooldridge/HikariCP
```

Use instead:
```yaml
signatures:
  - text: "Connection is not available, request timed out after 30000ms."
    source: https://github.com/brettwooldridge/HikariCP
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    for item in signature_items(ctx) {
        if text_of(item).is_some_and(|(_, text)| !text.trim().is_empty()) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE,
                ctx.index,
                first_line(ctx, item),
                "signature has no text",
            )
            .label("no `text`")
            .help(
                "add `text:` with the line exactly as the software prints it, or remove the item",
            ),
        );
    }
}
