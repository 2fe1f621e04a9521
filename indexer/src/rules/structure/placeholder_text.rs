//! S008 placeholder-text.

use crate::config::Severity;
use crate::front_matter::{Node, Value};
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::model::DocumentKind;

/// The rule.
pub static RULE: Rule = Rule {
    code: "S008",
    name: "placeholder-text",
    family: Family::Structure,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A `TODO` placeholder left from `catalog new`",
    doc: r#"## What it does
Reports the word `TODO` in front-matter values and in the prose of a record (code blocks are
not checked). `catalog new` writes its skeleton with these placeholders.

## Why is this bad?
A placeholder that reaches the catalog is shown to readers and indexed for search as if it
were content.

## Example
```markdown
## How to Recover

TODO: the first steps during the incident.
```

Use instead: write the section.
"#,
    check: Check::Document(check),
};

const MARKER: &str = "TODO";

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    if ctx.doc.kind != DocumentKind::Record {
        return;
    }
    let text = &ctx.doc.file.text;
    let mut found = Vec::new();
    if let Some(root) = &ctx.doc.yaml {
        collect_scalars(root, &mut |node| {
            if node.as_str().is_some_and(has_marker) {
                found.push(node.span.clone());
            }
        });
    }
    for range in &ctx.doc.body.texts {
        let piece = &text[range.clone()];
        let mut from = 0;
        while let Some(at) = piece[from..].find(MARKER) {
            let start = from + at;
            if is_word(piece, start) {
                found.push(range.start + start..range.start + start + MARKER.len());
            }
            from = start + MARKER.len();
        }
    }
    for range in found {
        out.push(
            Diagnostic::new(
                &RULE,
                ctx.index,
                range,
                "placeholder `TODO` left in the record",
            )
            .label("placeholder")
            .help("replace the placeholder with real content"),
        );
    }
}

fn has_marker(text: &str) -> bool {
    text.match_indices(MARKER).any(|(at, _)| is_word(text, at))
}

fn is_word(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + MARKER.len()..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

fn collect_scalars<'a>(node: &'a Node, visit: &mut impl FnMut(&'a Node)) {
    match &node.value {
        Value::Scalar(_) => visit(node),
        Value::Seq { items, .. } => items.iter().for_each(|item| collect_scalars(item, visit)),
        Value::Map(entries) => entries
            .iter()
            .for_each(|entry| collect_scalars(&entry.value, visit)),
    }
}
