//! X003 duplicate-id.

use std::collections::HashMap;

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, Family, Rule, TreeContext};

/// The rule.
pub static RULE: Rule = Rule {
    code: "X003",
    name: "duplicate-id",
    family: Family::Files,
    default_severity: Severity::Error,
    fixable: false,
    summary: "Two files give the same id (or ids that differ only in case)",
    doc: r#"## What it does
A record's id is its path without extension. This rule reports files whose ids collide:
`retry-storm.md` beside `retry-storm.mdx`, or `Retry-Storm.md` beside `retry-storm.md`
(which also collide on case-insensitive file systems and in most URLs).

## Why is this bad?
Two records answer to one URL and one id: links, edges and the API reach one of them at
random.

## Example
```text
availability/retry-storm.md
availability/retry-storm.mdx
```

Use instead: keep one file, or rename the other.
"#,
    check: Check::Tree(check),
};

fn check(ctx: &TreeContext, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<String, usize> = HashMap::new();
    for (index, doc) in ctx.tree.docs.iter().enumerate() {
        let key = doc.id.to_lowercase();
        match first.get(&key) {
            Some(&earlier) => {
                let text = &doc.file.text;
                let end = text.find('\n').unwrap_or(text.len());
                out.push(
                    Diagnostic::new(
                        &RULE,
                        index,
                        0..end,
                        format!(
                            "id `{}` collides with `{}`",
                            doc.id, ctx.tree.docs[earlier].file.rel_path
                        ),
                    )
                    .label("same id")
                    .help("rename or remove one of the two files"),
                );
            }
            None => {
                first.insert(key, index);
            }
        }
    }
}
