//! GitHub Actions workflow commands: one `::error` / `::warning` annotation per finding.

use super::shown_path;
use crate::config::Severity;
use crate::lint::Report;
use crate::tree::Tree;

pub(super) fn render(report: &Report, tree: &Tree) -> String {
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        let source = tree.source(diagnostic.file);
        let (line, column) = source.position(diagnostic.range.start);
        let (end_line, end_column) = source.position(diagnostic.range.end);
        let level = match diagnostic.severity {
            Severity::Error => "error",
            _ => "warning",
        };
        let mut message = diagnostic.message.clone();
        if let Some(help) = &diagnostic.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!(
            "::{level} title={},file={},line={line},col={column},endLine={end_line},endColumn={end_column}::{}\n",
            escape_property(&format!("{} {}", diagnostic.rule.code, diagnostic.rule.name)),
            escape_property(&shown_path(tree, diagnostic.file)),
            escape_data(&format!("{} {}", diagnostic.rule.code, message)),
        ));
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
