//! F004 value-not-in-vocabulary.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::lint::suggest::did_you_mean;
use crate::model::field_node;
use crate::rules::front_matter::{normalize_tag, record_yaml, values};

/// The rule.
pub static RULE: Rule = Rule {
    code: "F004",
    name: "value-not-in-vocabulary",
    family: Family::FrontMatter,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A value outside the vocabulary its field names",
    doc: r#"## What it does
Checks that every value of a field with a `vocabulary` is one of the allowed values listed
under `[vocabularies]` in `catalog.toml` (`categories` means the category keys). Tags are
compared in their normalised form; a close spelling is suggested.

## Why is this bad?
Facets and filters group records by exact value. `advnced` or a near-duplicate tag creates a
facet of one and hides the record from everyone filtering on the real value.

## Example
```yaml
difficulty: expert
```

Use instead:
```yaml
difficulty: advanced
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(_) = record_yaml(ctx) else {
        return;
    };
    let config = ctx.config();
    for (name, spec) in &config.raw.fields {
        let Some(vocabulary) = spec.vocabulary.as_deref() else {
            continue;
        };
        let Some(allowed) = config.vocabulary(vocabulary) else {
            continue;
        };
        let Some(node) = field_node(ctx.doc, config, name) else {
            continue;
        };
        for (value, item) in values(node) {
            let value = if name == "tags" {
                normalize_tag(config, value)
            } else {
                value.to_string()
            };
            if allowed.contains(&value.as_str()) {
                continue;
            }
            let help = match did_you_mean(&value, allowed.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None if allowed.len() <= 12 => format!("allowed: {}", allowed.join(", ")),
                None => format!("see `vocabularies.{vocabulary}` in catalog.toml"),
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    item.span.clone(),
                    format!("`{name}` value `{value}` is not in the `{vocabulary}` vocabulary"),
                )
                .label("unknown value")
                .help(help),
            );
        }
    }
}
