//! N003 invalid-navigation-file.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, Family, Rule, TreeContext};
use crate::rules::navigation::parse_meta;

/// The rule.
pub static RULE: Rule = Rule {
    code: "N003",
    name: "invalid-navigation-file",
    family: Family::Navigation,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A navigation file whose object cannot be read",
    doc: r#"## What it does
Reads the object exported by each navigation file (`_meta.js`, `_meta.ts`, `_meta.json`)
without running it, and reports where reading stopped.

## Why is this bad?
The docs site fails to build, or silently falls back to alphabetical order, when its
navigation file is broken.

## Example
```js
export default {
  index: "Overview",
  "retry-storm": "Retry Storm"
```

Use instead:
```js
export default {
  index: "Overview",
  "retry-storm": "Retry Storm",
}
```
"#,
    check: Check::Tree(check),
};

fn check(ctx: &TreeContext, out: &mut Vec<Diagnostic>) {
    let base = ctx.tree.docs.len();
    for (index, meta) in ctx.tree.meta_files.iter().enumerate() {
        if let Err(error) = parse_meta(&meta.text) {
            let text = &meta.text;
            let start = crate::source::floor_char_boundary(text, error.offset);
            let range = if text[start..].trim().is_empty() {
                meta.last_line_range()
            } else {
                start
                    ..text[start..]
                        .char_indices()
                        .nth(1)
                        .map_or(text.len(), |(i, _)| start + i)
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    base + index,
                    range,
                    format!("cannot read navigation: {}", error.message),
                )
                .label("reading stopped here")
                .help("export a plain object literal of `key: title` entries"),
            );
        }
    }
}
