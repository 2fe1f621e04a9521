//! F001 missing-required-field.

use crate::config::{FieldSource, Severity};
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::model::field_node;
use crate::rules::front_matter::record_yaml;

/// The rule.
pub static RULE: Rule = Rule {
    code: "F001",
    name: "missing-required-field",
    family: Family::FrontMatter,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A field that catalog.toml marks as required is missing or empty",
    doc: r#"## What it does
Checks that every field marked `required = true` under `[fields.*]` or `[edges.*]` in
`catalog.toml` is present in the front matter and not empty.

## Why is this bad?
Search filters, facets and statistics are computed from these fields. A record without a
category or difficulty silently disappears from filtered views and skews progress counts.

## Example
```yaml
---
title: Inventory Overselling
# `difficulty` is required but missing
---
```

Use instead:
```yaml
---
title: Inventory Overselling
difficulty: intermediate
---
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(_) = record_yaml(ctx) else {
        return;
    };
    let Some(block) = &ctx.doc.front_matter else {
        return;
    };
    let config = ctx.config();
    let fields = config
        .raw
        .fields
        .iter()
        .map(|(name, spec)| (name, spec.required));
    let edges = config
        .raw
        .edges
        .iter()
        .map(|(name, spec)| (name, spec.required));
    for (name, required) in fields.chain(edges) {
        if !required
            || matches!(
                config.field_source(name),
                FieldSource::Folder | FieldSource::TopFolder
            )
        {
            continue;
        }
        let node = if config.raw.edges.contains_key(name) {
            ctx.doc.field(name)
        } else {
            field_node(ctx.doc, config, name)
        };
        let empty = match node {
            None => true,
            Some(node) => {
                node.is_null()
                    || node.items().is_some_and(<[_]>::is_empty)
                    || node.as_str().is_some_and(|text| text.trim().is_empty())
            }
        };
        if empty {
            let key = match config.field_source(name) {
                FieldSource::Key(key) => key.to_string(),
                FieldSource::Item(key, index) => format!("{key}[{index}]"),
                FieldSource::Folder | FieldSource::TopFolder => continue,
            };
            // Point at the key when it is there with an empty value, else at the opening `---`.
            let base = key.split('[').next().unwrap_or(&key);
            let range = ctx
                .doc
                .yaml
                .as_ref()
                .and_then(|root| root.entry(base))
                .map_or(block.open.clone(), |entry| entry.key.span.clone());
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    range,
                    format!("required field `{key}` is missing or empty"),
                )
                .label("required by catalog.toml")
                .help(format!("add `{key}:` with a value to the front matter")),
            );
        }
    }
}
