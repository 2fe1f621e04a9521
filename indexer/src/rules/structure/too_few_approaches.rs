//! S005 too-few-approaches.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::structure::template;

/// The rule.
pub static RULE: Rule = Rule {
    code: "S005",
    name: "too-few-approaches",
    family: Family::Structure,
    default_severity: Severity::Error,
    fixable: false,
    summary: "Fewer solution approaches than the template's minimum",
    doc: r#"## What it does
Counts the headings that match `[template.approaches].pattern` at its level and compares
them with `min`.

## Why is this bad?
Each record compares several ways out, with their trade-offs; a record with one approach
reads as "the answer" and hides the costs a team must weigh.

## Example
```markdown
## The Solution: Three Approaches
### Approach 1: Atomic Decrement
```

Use instead: describe at least three approaches, each under `### Approach N: Name`.
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
    let count = record.approaches.len();
    if count >= spec.min {
        return;
    }
    let headings = &ctx.doc.body.headings;
    let anchor = record
        .section_with_role("approaches")
        .and_then(|section| headings.iter().find(|h| h.anchor == section.anchor))
        .or_else(|| headings.first());
    let text = &ctx.doc.file.text;
    let range = anchor.map_or(0..0, |h| {
        h.range.start
            ..text[h.range.start..]
                .find('\n')
                .map_or(text.len(), |i| h.range.start + i)
    });
    out.push(
        Diagnostic::new(
            &RULE,
            ctx.index,
            range,
            format!(
                "{count} approach{} found, the template needs at least {}",
                if count == 1 { "" } else { "es" },
                spec.min
            ),
        )
        .label(format!("{count} of {}", spec.min))
        .help(format!(
            "add headings matching `{}` at level {}",
            spec.pattern, spec.level
        )),
    );
}
