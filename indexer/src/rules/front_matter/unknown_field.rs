//! F002 unknown-field.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::lint::suggest::did_you_mean;
use crate::rules::front_matter::record_yaml;

/// The rule.
pub static RULE: Rule = Rule {
    code: "F002",
    name: "unknown-field",
    family: Family::FrontMatter,
    default_severity: Severity::Warning,
    fixable: false,
    summary: "A front-matter key that catalog.toml does not describe",
    doc: r#"## What it does
Reports top-level front-matter keys that are neither a field, an edge field, a reverse field
nor one of `catalog.extra_fields`. It only runs when `catalog.toml` declares fields.

## Why is this bad?
An unknown key is usually a typo (`dificulty:`), and the value it holds is ignored by search,
filters and statistics.

## Example
```yaml
dificulty: advanced
```

Use instead:
```yaml
difficulty: advanced
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(root) = record_yaml(ctx) else {
        return;
    };
    let config = ctx.config();
    if config.raw.fields.is_empty() {
        return;
    }
    let mut known: Vec<&str> = config.raw.fields.keys().map(String::as_str).collect();
    known.extend(config.raw.edges.keys().map(String::as_str));
    known.extend(config.raw.catalog.extra_fields.iter().map(String::as_str));
    for entry in root.entries() {
        let Some(key) = entry.key.as_str() else {
            continue;
        };
        if config.is_known_key(key) {
            continue;
        }
        let suggestion = did_you_mean(key, known.iter().copied());
        out.push(
            Diagnostic::new(
                &RULE,
                ctx.index,
                entry.key.span.clone(),
                format!("unknown field `{key}`"),
            )
            .label("not described in catalog.toml")
            .help(match suggestion {
                Some(name) => format!("did you mean `{name}`?"),
                None => "remove it, or add it to `catalog.extra_fields` or `[fields]`".into(),
            }),
        );
    }
}
