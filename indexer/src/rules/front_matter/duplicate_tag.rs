//! F006 duplicate-tag.

use std::collections::HashSet;

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::front_matter::{normalize_tag, tags_node, tidy_tags_fix, values};

/// The rule.
pub static RULE: Rule = Rule {
    code: "F006",
    name: "duplicate-tag",
    family: Family::FrontMatter,
    default_severity: Severity::Error,
    fixable: true,
    summary: "The same tag appears twice (after normalisation)",
    doc: r#"## What it does
Reports a tag that repeats an earlier tag of the same record once both are normalised
(`Caching` and `caching`, or an alias and its canonical tag).

## Why is this bad?
Duplicates inflate tag counts and facet numbers and make the list harder to read.

## Example
```yaml
tags: [caching, Caching, retries]
```

Use instead:
```yaml
tags: [caching, retries]
```

`catalog lint --fix` removes the duplicate.
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(node) = tags_node(ctx) else {
        return;
    };
    let mut seen = HashSet::new();
    for (tag, item) in values(node) {
        let normalized = normalize_tag(ctx.config(), tag);
        if !seen.insert(normalized.clone()) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    item.span.clone(),
                    format!("tag `{normalized}` is listed twice"),
                )
                .label("duplicate")
                .help("remove the repeated tag")
                .maybe_fix(tidy_tags_fix(ctx, node)),
            );
        }
    }
}
