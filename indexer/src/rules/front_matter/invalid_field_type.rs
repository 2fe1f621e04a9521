//! F003 invalid-field-type.

use crate::config::{FieldType, Severity};
use crate::front_matter::{Node, ScalarKind, Value};
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::model::field_node;
use crate::rules::front_matter::record_yaml;

/// The rule.
pub static RULE: Rule = Rule {
    code: "F003",
    name: "invalid-field-type",
    family: Family::FrontMatter,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A front-matter value does not have the type catalog.toml declares",
    doc: r#"## What it does
Checks each declared field's value against its `type`: `string`, `integer`, `date`
(`YYYY-MM-DD`), `boolean`, `list` (a single string counts as a one-item list), `incidents` and
`references` (lists of maps), `map`. Edge fields must be lists of ids.

## Why is this bad?
A value of the wrong shape cannot be indexed: a `tags` map or a `year` written as text is
dropped from search and statistics without anyone noticing.

## Example
```yaml
symptoms: {p99: high}
```

Use instead:
```yaml
symptoms:
  - p99 latency is high
```
"#,
    check: Check::Document(check),
};

fn expected(kind: FieldType, node: &Node) -> bool {
    let scalar = |node: &Node| match &node.value {
        Value::Scalar(scalar) => Some(scalar.kind),
        _ => None,
    };
    match kind {
        FieldType::Any => true,
        FieldType::String => matches!(
            scalar(node),
            Some(ScalarKind::Str | ScalarKind::Int | ScalarKind::Float)
        ),
        FieldType::Integer => scalar(node) == Some(ScalarKind::Int),
        FieldType::Boolean => scalar(node) == Some(ScalarKind::Bool),
        FieldType::Date => node.as_str().is_some_and(is_date),
        FieldType::List => match node.items() {
            Some(items) => items.iter().all(|item| expected(FieldType::String, item)),
            None => expected(FieldType::String, node),
        },
        FieldType::Incidents | FieldType::References | FieldType::Signatures => node
            .items()
            .is_some_and(|items| items.iter().all(|item| matches!(item.value, Value::Map(_)))),
        FieldType::Map => matches!(node.value, Value::Map(_)),
    }
}

fn with_article(noun: &str) -> String {
    match noun {
        "null" => "nothing".to_string(),
        _ if noun.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {noun}"),
        _ => format!("a {noun}"),
    }
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
        && text[5..7]
            .parse::<u8>()
            .is_ok_and(|month| (1..=12).contains(&month))
        && text[8..10]
            .parse::<u8>()
            .is_ok_and(|day| (1..=31).contains(&day))
}

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some(_) = record_yaml(ctx) else {
        return;
    };
    let config = ctx.config();
    let fields = config
        .raw
        .fields
        .iter()
        .map(|(name, spec)| (name.as_str(), spec.kind, false));
    let edges = config
        .raw
        .edges
        .keys()
        .map(|name| (name.as_str(), FieldType::List, true));
    let reverse = config
        .reverse_fields()
        .into_iter()
        .map(|name| (name, FieldType::List, true));
    for (name, kind, is_edge) in fields.chain(edges).chain(reverse) {
        let node = if is_edge {
            ctx.doc.field(name)
        } else {
            field_node(ctx.doc, config, name)
        };
        let Some(node) = node.filter(|node| !node.is_null()) else {
            continue;
        };
        if !expected(kind, node) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    node.span.clone(),
                    format!(
                        "`{name}` should be {}, found {}",
                        kind.described(),
                        with_article(node.type_name())
                    ),
                )
                .label(format!("expected {}", kind.described())),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_date;

    #[test]
    fn dates_are_checked_for_shape_and_range() {
        assert!(is_date("2026-03-20"));
        assert!(!is_date("2026-13-20"));
        assert!(!is_date("20-03-2026"));
    }
}
