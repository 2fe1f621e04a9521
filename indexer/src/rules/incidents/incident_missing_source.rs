//! I002 incident-missing-source.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::incidents::{incident_items, source_of};

/// The rule.
pub static RULE: Rule = Rule {
    code: "I002",
    name: "incident-missing-source",
    family: Family::Incidents,
    default_severity: Severity::Error,
    fixable: false,
    summary: "An incident without a `source` link",
    doc: r#"## What it does
Checks that every incident map has a `source` (or `url`).

## Why is this bad?
An incident nobody can check is an anecdote. The catalog cites only public incidents, each
with the post-mortem or report it comes from.

## Example
```yaml
incidents:
  - company: Example
    year: 2021
    summary: Sold more tickets than seats.
```

Use instead:
```yaml
incidents:
  - company: Example
    year: 2021
    summary: Sold more tickets than seats.
    source: https://example.com/post-mortem
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some((_, _, items)) = incident_items(ctx) else {
        return;
    };
    for item in items {
        if source_of(item).is_none() {
            let name = item
                .get("company")
                .and_then(|n| n.as_str())
                .unwrap_or("incident");
            let text = &ctx.doc.file.text;
            let end = text[item.span.start..]
                .find('\n')
                .map_or(item.span.end, |i| item.span.start + i);
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    item.span.start..end.min(item.span.end),
                    format!("incident `{name}` has no source"),
                )
                .label("no `source`")
                .help(
                    "add `source:` with the URL of the public post-mortem, or remove the incident",
                ),
            );
        }
    }
}
