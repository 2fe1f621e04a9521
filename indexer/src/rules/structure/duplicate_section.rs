//! S003 duplicate-section.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::structure::{matched_sections, shown, template};

/// The rule.
pub static RULE: Rule = Rule {
    code: "S003",
    name: "duplicate-section",
    family: Family::Structure,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A template section appears twice",
    doc: r#"## What it does
Reports a second heading that matches the same template section.

## Why is this bad?
Anchors of repeated headings get numbered suffixes (`detection--monitoring-1`), so links
and search results point at one half of the content and miss the other.

## Example
```markdown
## Detection & Monitoring
...
## Detection & Monitoring
```

Use instead: merge both into one section.
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(_) = template(ctx) else {
        return;
    };
    let headings = &ctx.doc.body.headings;
    let matched = matched_sections(ctx);
    for (position, (heading, section)) in matched.iter().enumerate() {
        if let Some((first, _)) = matched[..position].iter().find(|(_, s)| s == section) {
            let h = &headings[*heading];
            let (line, _) = ctx.doc.file.position(headings[*first].range.start);
            let text = &ctx.doc.file.text;
            let end = text[h.range.start..]
                .find('\n')
                .map_or(text.len(), |i| h.range.start + i);
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    h.range.start..end,
                    format!("`{}` appears twice", shown(h.level, &h.text)),
                )
                .label(format!("first at line {line}"))
                .help("merge the two sections into one"),
            );
        }
    }
}
