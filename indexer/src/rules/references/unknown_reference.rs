//! R001 unknown-reference.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::lint::suggest::did_you_mean_id;
use crate::model::parse_reference;
use crate::rules::references::edge_values;
use crate::tree::Resolution;

/// The rule.
pub static RULE: Rule = Rule {
    code: "R001",
    name: "unknown-reference",
    family: Family::References,
    default_severity: Severity::Error,
    fixable: false,
    summary: "An edge field names a record that does not exist",
    doc: r#"## What it does
Checks that every value of an edge field (`related`, `prerequisites`, … as declared under
`[edges]`) is the id of a record, or a slug that names exactly one record. The whole tree is
read on every run, also when only some paths are linted. A value with spaces is prose (a
prerequisite written as a sentence, `Docker Desktop installed`), not a reference, and is not
checked.

## Why is this bad?
A dangling reference is a dead link on the page and a missing edge in the graph the API
serves; it usually means a record was renamed or moved.

## Example
```yaml
related: [concurrency/double-bookings]
```

Use instead:
```yaml
related: [concurrency/double-booking]
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    for (field, value, node) in edge_values(ctx) {
        let reference = parse_reference(value);
        if reference.path.is_empty() || ctx.tree.resolve_id(&reference.path) != Resolution::Missing
        {
            continue;
        }
        let ids: Vec<&str> = ctx.tree.record_ids().collect();
        let suggestion = did_you_mean_id(&reference.path, ids.iter().copied());
        out.push(
            Diagnostic::new(
                &RULE,
                ctx.index,
                node.span.clone(),
                format!("`{field}` names `{value}`, which is not a record"),
            )
            .label("no such record")
            .help(match suggestion {
                Some(id) => format!("did you mean `{id}`?"),
                None => "use the id of an existing record (its path without `.md`)".into(),
            }),
        );
    }
}
