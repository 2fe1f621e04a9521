//! X002 missing-front-matter.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::model::DocumentKind;

/// The rule.
pub static RULE: Rule = Rule {
    code: "X002",
    name: "missing-front-matter",
    family: Family::Files,
    default_severity: Severity::Warning,
    fixable: false,
    summary: "A record without a `---` front matter block",
    doc: r#"## What it does
Reports a record (a markdown file that `catalog.toml` does not list under `not_records`)
that does not start with a YAML front matter block.

## Why is this bad?
The record is still indexed, by its headings and text, but it has no title, category, tags
or symptoms: it is missing from every facet and filter.

## Example
```markdown
# Exponential Backoff
...
```

Use instead:
```markdown
---
title: Exponential Backoff
---
# Exponential Backoff
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    if ctx.doc.kind != DocumentKind::Record || ctx.doc.front_matter.is_some() {
        return;
    }
    let text = &ctx.doc.file.text;
    let end = text.find('\n').unwrap_or(text.len());
    let message = if text.trim_start().starts_with("---") {
        "front matter must start on the first line of the file"
    } else {
        "record has no front matter"
    };
    out.push(
        Diagnostic::new(&RULE, ctx.index, 0..end, message)
            .label("expected `---` here")
            .help("start the file with a `---` block holding at least `title:`; list it under `catalog.not_records` if it is not a record"),
    );
}
