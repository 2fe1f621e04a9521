//! F009 invalid-yaml.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};

/// The rule.
pub static RULE: Rule = Rule {
    code: "F009",
    name: "invalid-yaml",
    family: Family::FrontMatter,
    default_severity: Severity::Error,
    fixable: false,
    summary: "The front matter is not valid YAML or is not closed",
    doc: r#"## What it does
Reports a YAML syntax error in the front matter, or an opening `---` without a closing
`---`, at the position the parser stopped.

## Why is this bad?
Nothing of the record's metadata can be read: it is indexed with its body only, without
category, tags or symptoms.

## Example
```yaml
---
title: Retry Storm: When "Try Again" Becomes the Outage
---
```

Use instead (quote values that contain `: `):
```yaml
---
title: 'Retry Storm: When "Try Again" Becomes the Outage'
---
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(block) = &ctx.doc.front_matter else {
        return;
    };
    if block.close.is_none() {
        out.push(
            Diagnostic::new(
                &RULE,
                ctx.index,
                block.open.clone(),
                "front matter is never closed",
            )
            .label("opened here")
            .help("end the front matter with a line holding only `---`"),
        );
        return;
    }
    if let Some(error) = &ctx.doc.yaml_error {
        let text = &ctx.doc.file.text;
        let start = crate::source::floor_char_boundary(text, error.offset);
        let end = text[start..]
            .char_indices()
            .nth(1)
            .map_or(text.len(), |(i, _)| start + i);
        out.push(
            Diagnostic::new(
                &RULE,
                ctx.index,
                start..end,
                format!("invalid YAML: {}", error.message),
            )
            .label("the parser stopped here")
            .help("quote values that contain `: ` or start with a special character"),
        );
    }
}
