//! N001 navigation-entry-without-file.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, Family, Rule, TreeContext};
use crate::lint::suggest::did_you_mean;
use crate::rules::navigation::{folder_of, join, key_exists, parse_meta};

/// The rule.
pub static RULE: Rule = Rule {
    code: "N001",
    name: "navigation-entry-without-file",
    family: Family::Navigation,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A navigation key names no page or folder beside it",
    doc: r#"## What it does
Checks each key of a navigation file against the files and folders in the same folder: the
key `retry-storm` needs `retry-storm.md`, `retry-storm.mdx` or a folder `retry-storm/`.
Links (`href`), separators and menus are skipped.

## Why is this bad?
The sidebar shows an entry that leads to a 404, typically after an article was renamed or
never written.

## Example
```js
export default {
  "split-brain": "Split-Brain",   // no split-brain.md here
}
```

Use instead: write the article, or remove the entry.
"#,
    check: Check::Tree(check),
};

fn check(ctx: &TreeContext, out: &mut Vec<Diagnostic>) {
    let base = ctx.tree.docs.len();
    for (index, meta) in ctx.tree.meta_files.iter().enumerate() {
        let Ok(entries) = parse_meta(&meta.text) else {
            continue;
        };
        let folder = folder_of(&meta.rel_path);
        let siblings: Vec<String> = ctx
            .tree
            .docs
            .iter()
            .filter(|doc| doc.folder() == folder)
            .map(|doc| doc.slug().to_string())
            .collect();
        for entry in entries.iter().filter(|entry| !entry.not_a_page) {
            if key_exists(ctx.tree, folder, &entry.key) {
                continue;
            }
            let suggestion = did_you_mean(&entry.key, siblings.iter().map(String::as_str));
            out.push(
                Diagnostic::new(
                    &RULE,
                    base + index,
                    entry.range.clone(),
                    format!(
                        "navigation entry `{}` has no file `{}.md` or folder",
                        entry.key,
                        join(folder, &entry.key)
                    ),
                )
                .label("no such page")
                .help(match suggestion {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => "write the article or remove the entry".into(),
                }),
            );
        }
    }
}
