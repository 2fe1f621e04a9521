//! R004 reverse-field-out-of-sync.

use std::collections::BTreeSet;

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::model::{DocumentKind, parse_reference};
use crate::rules::front_matter::values;
use crate::rules::yaml_edit::set_list;
use crate::tree::Resolution;

/// The rule.
pub static RULE: Rule = Rule {
    code: "R004",
    name: "reverse-field-out-of-sync",
    family: Family::References,
    default_severity: Severity::Error,
    fixable: true,
    summary: "A reverse field (such as `linked_from`) does not list exactly the records pointing here",
    doc: r#"## What it does
For each edge field (or `[links]`) with a `reverse` field, computes from the whole tree which
records point at this one, and compares with the reverse field's list (order is ignored).

## Why is this bad?
Reverse fields feed "linked from" lists on the page. Kept by hand, they go stale whenever a
record adds or removes a reference, and readers miss the records that build on this one.

## Example
```yaml
# problems-at-scale/availability/thundering-herd.md, while retry-storm lists it
linked_from: []
```

Use instead:
```yaml
linked_from: [problems-at-scale/availability/retry-storm]
```

`catalog lint --fix` rewrites the list (sorted), adding the field when it is missing.
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    if ctx.doc.kind != DocumentKind::Record
        || ctx.doc.front_matter.is_none()
        || ctx.doc.yaml.is_none()
    {
        return;
    }
    for field in ctx.config().reverse_fields() {
        let Some(expected) = ctx.graph.expected_reverse(field, ctx.index) else {
            continue;
        };
        let node = ctx.doc.field(field);
        let listed: BTreeSet<String> = node
            .map(values)
            .unwrap_or_default()
            .into_iter()
            .map(|(value, _)| {
                let path = parse_reference(value).path;
                match ctx.tree.resolve_id(&path) {
                    Resolution::Document(index) => ctx.tree.docs[index].id.clone(),
                    _ => path,
                }
            })
            .collect();
        if &listed == expected {
            continue;
        }
        let missing: Vec<&String> = expected.difference(&listed).collect();
        let extra: Vec<&String> = listed.difference(expected).collect();
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("lacks {}", quote_all(&missing)));
        }
        if !extra.is_empty() {
            parts.push(format!(
                "lists {} which do{} not point here",
                quote_all(&extra),
                if extra.len() == 1 { "es" } else { "" }
            ));
        }
        let items: Vec<String> = expected.iter().cloned().collect();
        let range = match node {
            Some(node) => node.span.clone(),
            None => ctx
                .doc
                .front_matter
                .as_ref()
                .map_or(0..0, |block| block.open.clone()),
        };
        let mut diagnostic = Diagnostic::new(
            &RULE,
            ctx.index,
            range,
            format!("`{field}` is out of sync: it {}", parts.join(" and ")),
        )
        .label(format!(
            "should list {} record{}",
            items.len(),
            if items.len() == 1 { "" } else { "s" }
        ))
        .help(format!("run `catalog lint --fix` to rewrite `{field}`"));
        if let Some(fix) = set_list(
            ctx.doc,
            field,
            &items,
            format!("rewrite `{field}` from the reference graph"),
        ) {
            diagnostic = diagnostic.fix(fix);
        }
        out.push(diagnostic);
    }
}

fn quote_all(ids: &[&String]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
