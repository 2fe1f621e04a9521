//! SARIF 2.1.0, as accepted by GitHub code scanning.

use serde_json::{Value, json};

use super::shown_path;
use crate::config::Severity;
use crate::lint::Report;
use crate::rules::RULES;
use crate::tree::Tree;

pub(super) fn render(report: &Report, tree: &Tree) -> String {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rule.summary },
                "help": { "text": rule.doc, "markdown": rule.doc },
                "defaultConfiguration": { "level": level(rule.default_severity) },
                "properties": { "tags": [rule.family.name()] },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let source = tree.source(diagnostic.file);
            let (start_line, start_column) = source.position(diagnostic.range.start);
            let (end_line, end_column) = source.position(diagnostic.range.end);
            let index = RULES.iter().position(|rule| rule.code == diagnostic.rule.code);
            json!({
                "ruleId": diagnostic.rule.code,
                "ruleIndex": index,
                "level": level(diagnostic.severity),
                "message": { "text": match &diagnostic.help {
                    Some(help) => format!("{} ({help})", diagnostic.message),
                    None => diagnostic.message.clone(),
                }},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": shown_path(tree, diagnostic.file) },
                        "region": {
                            "startLine": start_line,
                            "startColumn": start_column,
                            "endLine": end_line,
                            "endColumn": end_column.max(if end_line == start_line { start_column + 1 } else { 1 }),
                        }
                    }
                }],
            })
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "catalog",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Off => "none",
    }
}
