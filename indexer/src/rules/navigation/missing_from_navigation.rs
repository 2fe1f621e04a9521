//! N002 missing-from-navigation.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, Family, Rule, TreeContext};
use crate::model::DocumentKind;
use crate::rules::navigation::{folder_of, parse_meta};

/// The rule.
pub static RULE: Rule = Rule {
    code: "N002",
    name: "missing-from-navigation",
    family: Family::Navigation,
    default_severity: Severity::Warning,
    fixable: false,
    summary: "A record in a folder with a navigation file is not listed in it",
    doc: r#"## What it does
When a folder has a navigation file, checks that every record in that folder is one of its
keys. The finding is reported on the record, so a pre-commit run on a new article sees it.

## Why is this bad?
The docs site appends unlisted pages at the end of the sidebar, out of the intended order, or
hides them depending on its settings; readers browsing the category miss the article.

## Example
```js
// availability/_meta.js, while availability/split-brain.md exists
export default { "retry-storm": "Retry Storm" }
```

Use instead:
```js
export default { "retry-storm": "Retry Storm", "split-brain": "Split-Brain" }
```
"#,
    check: Check::Tree(check),
};

fn check(ctx: &TreeContext, out: &mut Vec<Diagnostic>) {
    for meta in &ctx.tree.meta_files {
        let Ok(entries) = parse_meta(&meta.text) else {
            continue;
        };
        let folder = folder_of(&meta.rel_path);
        for (index, doc) in ctx.tree.docs.iter().enumerate() {
            if doc.kind != DocumentKind::Record || doc.folder() != folder {
                continue;
            }
            if entries.iter().any(|entry| entry.key == doc.slug()) {
                continue;
            }
            let text = &doc.file.text;
            let end = text.find('\n').unwrap_or(text.len());
            out.push(
                Diagnostic::new(
                    &RULE,
                    index,
                    0..end,
                    format!("`{}` is not listed in `{}`", doc.slug(), meta.rel_path),
                )
                .label("missing from the sidebar")
                .help(format!(
                    "add `\"{}\": \"<title>\"` to `{}`",
                    doc.slug(),
                    meta.rel_path
                )),
            );
        }
    }
}
