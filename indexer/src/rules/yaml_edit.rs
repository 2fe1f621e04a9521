//! Rewriting a front-matter list in place, keeping its style (flow `[a, b]` or block `- a`).

use crate::front_matter::{Node, Value};
use crate::lint::diagnostic::{Edit, Fix, ListChange};
use crate::model::Document;

/// A scalar written so that YAML reads it back as the same string.
pub fn yaml_scalar(value: &str) -> String {
    let plain_safe = !value.is_empty()
        && !value.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !value.ends_with(char::is_whitespace)
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.contains(['\n', '\t', '[', ']', '{', '}', ','])
        && !matches!(
            value,
            "true" | "false" | "null" | "~" | "yes" | "no" | "True" | "False" | "Null"
        )
        && value.parse::<f64>().is_err();
    if plain_safe {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Whether comments sit between the items of the list `node` (or inside its brackets).
fn has_inner_comments(text: &str, node: &Node) -> bool {
    let Some(items) = node.items() else {
        return false;
    };
    let mut at = node.span.start;
    for item in items {
        if text
            .get(at..item.span.start)
            .is_some_and(|gap| gap.contains('#'))
        {
            return true;
        }
        at = item.span.end.max(at);
    }
    text.get(at..node.span.end)
        .is_some_and(|gap| gap.contains('#'))
}

/// The edits that replace the list `node` with `items`, in the same style; `None` when that
/// would lose or misplace a comment written between the items.
pub fn rewrite_list(doc: &Document, node: &Node, items: &[String]) -> Option<Vec<Edit>> {
    let text = &doc.file.text;
    let flow = match &node.value {
        Value::Seq { flow, .. } => *flow,
        _ => true,
    };
    if has_inner_comments(text, node) {
        return rewrite_items_in_place(node, items);
    }
    let rendered: Vec<String> = items.iter().map(|item| yaml_scalar(item)).collect();
    if flow || items.is_empty() {
        let before = text[..node.span.start].chars().last();
        let lead = if before == Some(':') { " " } else { "" };
        return Some(vec![Edit {
            range: node.span.clone(),
            replacement: format!("{lead}[{}]", rendered.join(", ")),
        }]);
    }
    let line = doc.file.lines.line_of(node.span.start);
    let line_start = doc.file.lines.line_start(line);
    let indent: String = text[line_start..node.span.start]
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let replacement = rendered
        .iter()
        .map(|item| format!("- {item}"))
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"));
    Some(vec![Edit {
        range: node.span.clone(),
        replacement,
    }])
}

/// Rewrites each item where it stands, so that comments between items stay beside the items
/// they were written for: only when no item moves to another place in the list.
fn rewrite_items_in_place(node: &Node, items: &[String]) -> Option<Vec<Edit>> {
    let old = node.items()?;
    if old.len() != items.len() {
        return None;
    }
    let mut edits = Vec::new();
    for (index, (before, after)) in old.iter().zip(items).enumerate() {
        let before_text = before.as_str()?;
        if before_text == after {
            continue;
        }
        let moved = old
            .iter()
            .enumerate()
            .any(|(other, item)| other != index && item.as_str() == Some(after));
        if moved {
            return None;
        }
        edits.push(Edit {
            range: before.span.clone(),
            replacement: yaml_scalar(after),
        });
    }
    Some(edits)
}

/// A fix that sets the top-level `key` to `items`: rewrites the list, fills an empty value, or
/// adds the key before the closing `---` when it is missing.
pub fn set_list(doc: &Document, key: &str, items: &[String], message: String) -> Option<Fix> {
    let block = doc.front_matter.as_ref()?;
    let text = &doc.file.text;
    let edits = match doc.yaml.as_ref().and_then(|root| root.entry(key)) {
        Some(entry) if matches!(entry.value.value, Value::Seq { .. }) => {
            rewrite_list(doc, &entry.value, items)?
        }
        Some(entry) if entry.value.is_null() => {
            let line = doc.file.lines.line_of(entry.key.span.start);
            let range = doc.file.lines.line_range(text, line);
            let comment = trailing_comment(&text[range.clone()]);
            vec![Edit {
                range,
                replacement: format!("{key}: {}{comment}", flow_list(items)),
            }]
        }
        Some(_) => return None,
        None => {
            let close = block.close.as_ref()?;
            vec![Edit {
                range: close.start..close.start,
                replacement: format!("{key}: {}\n", flow_list(items)),
            }]
        }
    };
    Some(Fix {
        message,
        edits,
        sets: Some(ListChange {
            key: key.to_string(),
            items: items.to_vec(),
        }),
    })
}

/// The comment at the end of a `key:` line with no value (with the spaces before it).
fn trailing_comment(line: &str) -> &str {
    let line = line.trim_end_matches(['\n', '\r']);
    match line.find(" #").or_else(|| line.find("\t#")) {
        Some(at) => &line[at..],
        None => "",
    }
}

/// The top-level key under which `node` is written, if it is a top-level value.
pub fn key_of(doc: &Document, node: &Node) -> Option<String> {
    doc.yaml
        .as_ref()?
        .entries()
        .iter()
        .find(|entry| entry.value.span == node.span)
        .and_then(|entry| entry.key.as_str())
        .map(str::to_string)
}

fn flow_list(items: &[String]) -> String {
    let rendered: Vec<String> = items.iter().map(|item| yaml_scalar(item)).collect();
    format!("[{}]", rendered.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(yaml_scalar("race-condition"), "race-condition");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("true"), "\"true\"");
        assert_eq!(yaml_scalar("12"), "\"12\"");
        assert_eq!(yaml_scalar("say \"hi\", now"), "\"say \\\"hi\\\", now\"");
    }
}
