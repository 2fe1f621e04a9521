//! F011 unsorted-tags.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::front_matter::{tags_node, tidy_tags_fix, values};

/// The rule.
pub static RULE: Rule = Rule {
    code: "F011",
    name: "unsorted-tags",
    family: Family::FrontMatter,
    default_severity: Severity::Warning,
    fixable: true,
    summary: "Tags are not in alphabetical order",
    doc: r#"## What it does
Checks that the tags of a record are sorted alphabetically.

## Why is this bad?
A fixed order keeps diffs small and makes duplicates and near-duplicates easy to spot in
review.

## Example
```yaml
tags: [retries, caching]
```

Use instead:
```yaml
tags: [caching, retries]
```

`catalog lint --fix` sorts them.
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(node) = tags_node(ctx) else {
        return;
    };
    let tags: Vec<&str> = values(node).into_iter().map(|(tag, _)| tag).collect();
    if tags.windows(2).any(|pair| pair[0] > pair[1]) {
        out.push(
            Diagnostic::new(&RULE, ctx.index, node.span.clone(), "tags are not sorted")
                .label("not in alphabetical order")
                .help("sort the tags alphabetically")
                .maybe_fix(tidy_tags_fix(ctx, node)),
        );
    }
}
