//! Rewriting a front-matter list in place, keeping its style (flow `[a, b]` or block `- a`).

use crate::front_matter::{Node, Value};
use crate::lint::diagnostic::{Edit, Fix};
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

/// The edit that replaces the list `node` with `items`, in the same style.
pub fn rewrite_list(doc: &Document, node: &Node, items: &[String]) -> Edit {
    let text = &doc.file.text;
    let flow = match &node.value {
        Value::Seq { flow, .. } => *flow,
        _ => true,
    };
    let rendered: Vec<String> = items.iter().map(|item| yaml_scalar(item)).collect();
    if flow || items.is_empty() {
        let before = text[..node.span.start].chars().last();
        let lead = if before == Some(':') { " " } else { "" };
        return Edit {
            range: node.span.clone(),
            replacement: format!("{lead}[{}]", rendered.join(", ")),
        };
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
    Edit {
        range: node.span.clone(),
        replacement,
    }
}

/// A fix that sets the top-level `key` to `items`: rewrites the list, fills an empty value, or
/// adds the key before the closing `---` when it is missing.
pub fn set_list(doc: &Document, key: &str, items: &[String], message: String) -> Option<Fix> {
    let block = doc.front_matter.as_ref()?;
    let text = &doc.file.text;
    let edit = match doc.yaml.as_ref().and_then(|root| root.entry(key)) {
        Some(entry) if matches!(entry.value.value, Value::Seq { .. }) => {
            rewrite_list(doc, &entry.value, items)
        }
        Some(entry) if entry.value.is_null() => {
            let line = doc.file.lines.line_of(entry.key.span.start);
            let range = doc.file.lines.line_range(text, line);
            Edit {
                range,
                replacement: format!("{key}: {}", flow_list(items)),
            }
        }
        Some(_) => return None,
        None => {
            let close = block.close.as_ref()?;
            Edit {
                range: close.start..close.start,
                replacement: format!("{key}: {}\n", flow_list(items)),
            }
        }
    };
    Some(Fix {
        message,
        edits: vec![edit],
    })
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
