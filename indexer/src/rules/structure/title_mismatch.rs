//! S007 title-mismatch.

use crate::config::Severity;
use crate::lint::diagnostic::{Diagnostic, Fix};
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::model::field_node;
use crate::rules::structure::template;

/// The rule.
pub static RULE: Rule = Rule {
    code: "S007",
    name: "title-mismatch",
    family: Family::Structure,
    default_severity: Severity::Error,
    fixable: true,
    summary: "The level-1 heading is missing or differs from the front-matter title",
    doc: r#"## What it does
When the template sets `title_heading = true`, checks that the body's first heading is a
level-1 heading whose text equals the front-matter `title`.

## Why is this bad?
The page shows one title and search results, navigation and links show another; readers
cannot tell they are the same problem.

## Example
```markdown
---
title: Inventory Overselling Under Concurrent Checkout
---
# Overselling
```

Use instead:
```markdown
# Inventory Overselling Under Concurrent Checkout
```

When the heading is missing, `catalog lint --fix` inserts it from the title.
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(template) = template(ctx) else {
        return;
    };
    if !template.title_heading {
        return;
    }
    let Some(title_node) = field_node(ctx.doc, ctx.config(), "title") else {
        return;
    };
    let Some(title) = title_node.as_str() else {
        return;
    };
    let text = &ctx.doc.file.text;
    let body = &ctx.doc.body;
    match body.headings.first() {
        Some(heading) if heading.level == 1 => {
            if heading.text.trim() != title.trim() {
                let end = text[heading.range.start..]
                    .find('\n')
                    .map_or(text.len(), |i| heading.range.start + i);
                out.push(
                    Diagnostic::new(
                        &RULE,
                        ctx.index,
                        heading.range.start..end,
                        format!(
                            "title heading `{}` differs from the front-matter title `{title}`",
                            heading.text
                        ),
                    )
                    .label("differs from `title`")
                    .help("make the heading and the `title` field say the same"),
                );
            }
        }
        _ => {
            // The first line of the body that holds anything.
            let rest = &text[body.start..];
            let at = body.start + (rest.len() - rest.trim_start().len());
            let at = text[..at].rfind('\n').map_or(0, |i| i + 1).max(body.start);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            let insert = if at == text.len() {
                format!("# {title}\n")
            } else {
                format!("# {title}\n\n")
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    at..end,
                    "the body does not start with a level-1 title heading",
                )
                .label("expected `# title` before this line")
                .help(format!("start the body with `# {title}`"))
                .fix(Fix::replace("insert the title heading", at..at, insert)),
            );
        }
    }
}
