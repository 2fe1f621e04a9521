//! A JSON array of findings, with positions, help and fixes.

use serde_json::{Value, json};

use super::shown_path;
use crate::lint::Report;
use crate::tree::Tree;

pub(super) fn render(report: &Report, tree: &Tree) -> String {
    let items: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let source = tree.source(diagnostic.file);
            let position = |offset: usize| {
                let (row, column) = source.position(offset);
                json!({ "row": row, "column": column })
            };
            let fix = diagnostic.fix.as_ref().map(|fix| {
                json!({
                    "message": fix.message,
                    "applicability": "safe",
                    "edits": fix.edits.iter().map(|edit| json!({
                        "content": edit.replacement,
                        "location": position(edit.range.start),
                        "end_location": position(edit.range.end),
                    })).collect::<Vec<_>>(),
                })
            });
            json!({
                "code": diagnostic.rule.code,
                "name": diagnostic.rule.name,
                "severity": diagnostic.severity.name(),
                "message": diagnostic.message,
                "filename": shown_path(tree, diagnostic.file),
                "location": position(diagnostic.range.start),
                "end_location": position(diagnostic.range.end),
                "label": diagnostic.label,
                "help": diagnostic.help,
                "fix": fix,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
