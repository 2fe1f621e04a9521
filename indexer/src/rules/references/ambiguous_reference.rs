//! R006 ambiguous-reference.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::model::parse_reference;
use crate::rules::references::edge_values;
use crate::tree::Resolution;

/// The rule.
pub static RULE: Rule = Rule {
    code: "R006",
    name: "ambiguous-reference",
    family: Family::References,
    default_severity: Severity::Error,
    fixable: false,
    summary: "An edge field uses a slug that several records share",
    doc: r#"## What it does
A slug is accepted wherever an id is, as long as exactly one record has it. This rule reports
a slug that names several records (the same file name in two folders).

## Why is this bad?
The edge cannot be resolved: the catalog would have to guess which record is meant.

## Example
```yaml
related: [thundering-herd]   # guides/thundering-herd or availability/thundering-herd?
```

Use instead:
```yaml
related: [availability/thundering-herd]
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    for (field, value, node) in edge_values(ctx) {
        let reference = parse_reference(value);
        if let Resolution::Ambiguous(candidates) = ctx.tree.resolve_id(&reference.path) {
            let ids: Vec<String> = candidates
                .iter()
                .map(|&index| format!("`{}`", ctx.tree.docs[index].id))
                .collect();
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    node.span.clone(),
                    format!("`{field}` value `{value}` matches {} records", ids.len()),
                )
                .label("ambiguous slug")
                .help(format!("write the full id: one of {}", ids.join(", "))),
            );
        }
    }
}
