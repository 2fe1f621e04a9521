//! S006 approach-missing-label.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::structure::template;

/// The rule.
pub static RULE: Rule = Rule {
    code: "S006",
    name: "approach-missing-label",
    family: Family::Structure,
    default_severity: Severity::Error,
    fixable: false,
    summary: "An approach lacks one of the bold labels the template requires",
    doc: r#"## What it does
Checks that each approach section holds a paragraph opening with each bold label of
`[template.approaches].labels` (matched as a prefix, so `**How It Prevents Overselling:**`
satisfies `How It Prevents`).

## Why is this bad?
The labels are how readers compare approaches side by side, and the catalog reads "The Core
Idea" and "The Trade-off" into the record shown by `catalog show` and the API.

## Example
```markdown
### Approach 1: Atomic Decrement
**The Core Idea:** let the database decrement.
```

Use instead:
```markdown
### Approach 1: Atomic Decrement
**The Core Idea:** let the database decrement.
**How It Prevents Overselling:** ...
**Why This Works:** ...
**Key Insight:** ...
**The Trade-off:** ...
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(spec) = template(ctx).and_then(|t| t.approaches.as_ref()) else {
        return;
    };
    let Some(record) = ctx.record else {
        return;
    };
    let text = &ctx.doc.file.text;
    for approach in &record.approaches {
        let Some(heading) = ctx
            .doc
            .body
            .headings
            .iter()
            .find(|h| h.anchor == approach.anchor)
        else {
            continue;
        };
        let missing: Vec<&str> = spec
            .labels
            .iter()
            .filter(|label| {
                !approach
                    .parts
                    .iter()
                    .any(|part| part.label.to_lowercase().starts_with(&label.to_lowercase()))
            })
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let end = text[heading.range.start..]
            .find('\n')
            .map_or(text.len(), |i| heading.range.start + i);
        let list = missing
            .iter()
            .map(|l| format!("**{l}**"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            Diagnostic::new(
                &RULE,
                ctx.index,
                heading.range.start..end,
                format!("approach `{}` lacks {list}", heading.text),
            )
            .label(format!(
                "{} label{} missing",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" }
            ))
            .help(format!("open a paragraph with `**{}:**`", missing[0])),
        );
    }
}
