//! S004 empty-section.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::model::DocumentKind;
use crate::rules::structure::shown;

/// The rule.
pub static RULE: Rule = Rule {
    code: "S004",
    name: "empty-section",
    family: Family::Structure,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A heading with nothing under it",
    doc: r#"## What it does
Reports a heading of a record with no content before the next heading of the same or a
higher level (sub-sections count as content; HTML comments do not).

## Why is this bad?
An empty section promises an answer it does not give; an on-call engineer who follows the
search hit to "How to Recover" finds nothing there.

## Example
```markdown
## How to Recover

## Similar Problems
```

Use instead: write the section, or remove the heading.
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    if ctx.doc.kind != DocumentKind::Record {
        return;
    }
    let text = &ctx.doc.file.text;
    let body = &ctx.doc.body;
    for (index, heading) in body.headings.iter().enumerate() {
        if heading.level == 1 {
            continue;
        }
        let range = body.section_range(index, text.len());
        let content = strip_comments(&text[heading.range.end..range.end]);
        if content.trim().is_empty() {
            let end = text[heading.range.start..]
                .find('\n')
                .map_or(text.len(), |i| heading.range.start + i);
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    heading.range.start..end,
                    format!("section `{}` is empty", shown(heading.level, &heading.text)),
                )
                .label("nothing under this heading")
                .help("write the section or remove the heading"),
            );
        }
    }
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}
