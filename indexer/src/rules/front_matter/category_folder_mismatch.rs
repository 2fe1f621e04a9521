//! F005 category-folder-mismatch.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::model::field_node;
use crate::rules::front_matter::record_yaml;

/// The rule.
pub static RULE: Rule = Rule {
    code: "F005",
    name: "category-folder-mismatch",
    family: Family::FrontMatter,
    default_severity: Severity::Error,
    fixable: false,
    summary: "The category field differs from the folder the record is in",
    doc: r#"## What it does
For fields with `match_folder = true` (the category in the bundled catalog), checks that the
value equals the name of the folder holding the record.

## Why is this bad?
Navigation is built from folders and facets from the field; when they disagree the record
shows up under one category in the sidebar and another in search.

## Example
```yaml
# in concurrency/double-booking.md
category: availability
```

Use instead:
```yaml
category: concurrency
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(_) = record_yaml(ctx) else {
        return;
    };
    let config = ctx.config();
    let folder = ctx.doc.folder().rsplit('/').next().unwrap_or("");
    for (name, spec) in &config.raw.fields {
        if !spec.match_folder {
            continue;
        }
        let Some(value) = field_node(ctx.doc, config, name) else {
            continue;
        };
        let Some(text) = value.as_str() else {
            continue;
        };
        if text != folder {
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    value.span.clone(),
                    format!("`{name}` is `{text}` but the record is in folder `{folder}`"),
                )
                .label(format!("expected `{folder}`"))
                .help(if text.eq_ignore_ascii_case(folder) {
                    format!("set `{name}: {folder}`")
                } else {
                    format!("set `{name}: {folder}` or move the file to `{text}/`")
                }),
            );
        }
    }
}
