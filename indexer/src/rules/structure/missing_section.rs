//! S001 missing-section.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::structure::{matched_sections, shown, template};

/// The rule.
pub static RULE: Rule = Rule {
    code: "S001",
    name: "missing-section",
    family: Family::Structure,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A section the template requires is missing",
    doc: r#"## What it does
Checks that every section listed under `[[template.sections]]` with `required = true` has a
heading of the right level and text (emoji and punctuation are ignored when comparing).

## Why is this bad?
Readers and tools rely on the template: an on-call engineer jumps to "Detection &
Monitoring" or "How to Recover", and search links straight to those anchors.

## Example
```markdown
## Performance Comparison
...
## How to Recover
```

Use instead:
```markdown
## Performance Comparison
...
## Detection & Monitoring
...
## How to Recover
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(_) = template(ctx) else {
        return;
    };
    let sections = &ctx.config().sections;
    let matched = matched_sections(ctx);
    let headings = &ctx.doc.body.headings;
    for (index, matcher) in sections.iter().enumerate() {
        if !matcher.spec.required || matched.iter().any(|(_, section)| *section == index) {
            continue;
        }
        let wanted = shown(matcher.spec.level, &matcher.spec.heading);
        // Point at the heading of the next template section that is present: the new one
        // belongs just before it.
        let next = matched
            .iter()
            .find(|(_, section)| *section > index)
            .map(|(heading, _)| &headings[*heading]);
        let previous = matched
            .iter()
            .rev()
            .find(|(_, section)| *section < index)
            .map(|(heading, _)| &headings[*heading]);
        let text = &ctx.doc.file.text;
        let range = match next {
            Some(heading) => {
                heading.range.start
                    ..heading.range.start + heading_line_len(text, heading.range.start)
            }
            None => ctx.doc.file.last_line_range(),
        };
        let help = match previous {
            Some(heading) => format!(
                "add `{wanted}` after `{}`",
                shown(heading.level, &heading.text)
            ),
            None => format!("add `{wanted}`"),
        };
        out.push(
            Diagnostic::new(
                &RULE,
                ctx.index,
                range,
                format!("missing section `{wanted}`"),
            )
            .label(if next.is_some() {
                "expected before this heading"
            } else {
                "expected after the last line"
            })
            .help(help),
        );
    }
}

fn heading_line_len(text: &str, start: usize) -> usize {
    text[start..].find('\n').unwrap_or(text.len() - start)
}
