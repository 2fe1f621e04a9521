//! R005 self-reference.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::model::parse_reference;
use crate::rules::references::edge_values;
use crate::tree::Resolution;

/// The rule.
pub static RULE: Rule = Rule {
    code: "R005",
    name: "self-reference",
    family: Family::References,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A record lists itself in an edge field",
    doc: r#"## What it does
Reports an edge-field value that resolves to the record holding it.

## Why is this bad?
A record related to itself adds nothing for the reader and distorts the related-problems
graph and its counts.

## Example
```yaml
# in concurrency/double-booking.md
related: [concurrency/double-booking, concurrency/counter-race]
```

Use instead:
```yaml
related: [concurrency/counter-race]
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    for (field, value, node) in edge_values(ctx) {
        let reference = parse_reference(value);
        if ctx.tree.resolve_id(&reference.path) == Resolution::Document(ctx.index) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    node.span.clone(),
                    format!("`{field}` lists the record itself"),
                )
                .label("this record")
                .help("remove it from the list"),
            );
        }
    }
}
