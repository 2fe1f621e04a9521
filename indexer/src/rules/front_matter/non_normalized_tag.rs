//! F007 non-normalized-tag.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::front_matter::{normalize_tag, tags_node, tidy_tags_fix, values};

/// The rule.
pub static RULE: Rule = Rule {
    code: "F007",
    name: "non-normalized-tag",
    family: Family::FrontMatter,
    default_severity: Severity::Error,
    fixable: true,
    summary: "A tag that is not lower-case kebab-case or is an alias of a canonical tag",
    doc: r#"## What it does
Checks that tags are written in their canonical form: lower-case, words joined by `-`, and
not a spelling listed under `[tag_aliases]` in `catalog.toml`.

## Why is this bad?
`Race Condition`, `race_condition` and `race-conditions` are one idea split over three tags;
search facets and tag pages show three small groups instead of one.

## Example
```yaml
tags: [Race Condition, cache]
```

Use instead:
```yaml
tags: [caching, race-condition]
```

`catalog lint --fix` rewrites the tags.
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(node) = tags_node(ctx) else {
        return;
    };
    for (tag, item) in values(node) {
        let normalized = normalize_tag(ctx.config(), tag);
        if normalized != tag && !normalized.is_empty() {
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    item.span.clone(),
                    format!("tag `{tag}` is not in canonical form"),
                )
                .label(format!("write `{normalized}`"))
                .help(format!("replace it with `{normalized}`"))
                .maybe_fix(tidy_tags_fix(ctx, node)),
            );
        }
    }
}
