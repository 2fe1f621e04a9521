//! F008 too-few-items.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::model::field_node;
use crate::rules::front_matter::{record_yaml, values};

/// The rule.
pub static RULE: Rule = Rule {
    code: "F008",
    name: "too-few-items",
    family: Family::FrontMatter,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A list has fewer items than its `min_items`",
    doc: r#"## What it does
Checks lists with a `min_items` bound in `catalog.toml` (symptoms, tags, related records …).

## Why is this bad?
Symptoms are what an on-call engineer's search matches; a record with one symptom is found
for one phrasing only. Related records are how readers move between problems.

## Example
```yaml
symptoms:
  - p99 latency is high
```

Use instead:
```yaml
symptoms:
  - p99 latency jumps from 50 ms to 5 s
  - "HikariPool-1 - Connection is not available, request timed out"
  - request threads all parked in getConnection()
  - database CPU is idle while the app times out
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(_) = record_yaml(ctx) else {
        return;
    };
    let config = ctx.config();
    let fields = config
        .raw
        .fields
        .iter()
        .map(|(name, spec)| (name, spec.min_items, field_node(ctx.doc, config, name)));
    let edges = config
        .raw
        .edges
        .iter()
        .map(|(name, spec)| (name, spec.min_items, ctx.doc.field(name)));
    for (name, min, node) in fields.chain(edges) {
        let (Some(min), Some(node)) = (min, node) else {
            continue;
        };
        if node.is_null() {
            continue;
        }
        let count = node.items().map_or_else(|| values(node).len(), <[_]>::len);
        if count < min {
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    node.span.clone(),
                    format!(
                        "`{name}` has {count} item{} but needs at least {min}",
                        if count == 1 { "" } else { "s" }
                    ),
                )
                .label(format!("{count} of {min}"))
                .help(format!("add {} more", min - count)),
            );
        }
    }
}
