//! F010 duplicate-key.

use std::collections::HashSet;

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};

/// The rule.
pub static RULE: Rule = Rule {
    code: "F010",
    name: "duplicate-key",
    family: Family::FrontMatter,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A front-matter key appears twice",
    doc: r#"## What it does
Reports a top-level front-matter key that repeats an earlier one.

## Why is this bad?
YAML forbids duplicate keys and tools disagree on which value wins: the docs site may show
one value and the catalog index another.

## Example
```yaml
tags: [caching]
tags: [retries]
```

Use instead:
```yaml
tags: [caching, retries]
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(root) = &ctx.doc.yaml else {
        return;
    };
    let mut seen = HashSet::new();
    for entry in root.entries() {
        if let Some(key) = entry.key.as_str()
            && !seen.insert(key)
        {
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    entry.key.span.clone(),
                    format!("key `{key}` appears more than once"),
                )
                .label("repeated key")
                .help("merge the values under one key"),
            );
        }
    }
}
