//! I001 missing-incidents.

use crate::config::{FieldType, Severity};
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::incidents::{incident_items, source_of};
use crate::rules::structure::template;

/// The rule.
pub static RULE: Rule = Rule {
    code: "I001",
    name: "missing-incidents",
    family: Family::Incidents,
    default_severity: Severity::Warning,
    fixable: false,
    summary: "Fewer sourced incidents than the template's `min_incidents`",
    doc: r#"## What it does
Counts the record's incidents that have a source and compares with
`[template].min_incidents`. It is a warning by default: a record may rightly cite no incident
when no public post-mortem exists.

## Why is this bad?
Real, checkable incidents are what convince a reader that the problem happens in production
and what it costs; a record without one is harder to trust.

## Example
```yaml
# no `incidents:` at all
```

Use instead:
```yaml
incidents:
  - company: Example
    year: 2021
    summary: One sentence on what happened.
    source: https://example.com/post-mortem
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(min) = template(ctx)
        .map(|t| t.min_incidents)
        .filter(|min| *min > 0)
    else {
        return;
    };
    if !ctx
        .config()
        .raw
        .fields
        .values()
        .any(|spec| spec.kind == FieldType::Incidents)
    {
        return;
    }
    let Some(block) = &ctx.doc.front_matter else {
        return;
    };
    let (range, count) = match incident_items(ctx) {
        Some((_, node, items)) => (
            node.span.clone(),
            items
                .iter()
                .filter(|item| source_of(item).is_some())
                .count(),
        ),
        None => (block.open.clone(), 0),
    };
    if count < min {
        out.push(
            Diagnostic::new(
                &RULE,
                ctx.index,
                range,
                format!(
                    "{count} sourced incident{} cited, the template asks for {min}",
                    if count == 1 { "" } else { "s" }
                ),
            )
            .label("no public incident with a source")
            .help("cite a real, public incident with a link to its post-mortem, if one exists"),
        );
    }
}
