//! S002 section-out-of-order.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::structure::{matched_sections, shown, template};

/// The rule.
pub static RULE: Rule = Rule {
    code: "S002",
    name: "section-out-of-order",
    family: Family::Structure,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A template section comes after one that should follow it",
    doc: r#"## What it does
Checks that the template's sections appear in the order listed under
`[[template.sections]]`.

## Why is this bad?
Every record reads the same way: scenario, failure, incidents, solutions, detection,
recovery. A reader who knows the order finds what they need without scrolling back.

## Example
```markdown
## How to Recover
## Detection & Monitoring
```

Use instead:
```markdown
## Detection & Monitoring
## How to Recover
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(_) = template(ctx) else {
        return;
    };
    let headings = &ctx.doc.body.headings;
    let mut furthest: Option<(usize, usize)> = None;
    for (heading, section) in matched_sections(ctx) {
        match furthest {
            Some((before, before_section)) if section < before_section => {
                let h = &headings[heading];
                let other = &headings[before];
                let text = &ctx.doc.file.text;
                let end = text[h.range.start..]
                    .find('\n')
                    .map_or(text.len(), |i| h.range.start + i);
                out.push(
                    Diagnostic::new(
                        &RULE,
                        ctx.index,
                        h.range.start..end,
                        format!(
                            "`{}` should come before `{}`",
                            shown(h.level, &h.text),
                            shown(other.level, &other.text)
                        ),
                    )
                    .label("out of template order")
                    .help("move the section to its place in the template order"),
                );
            }
            _ => furthest = Some((heading, section)),
        }
    }
}
