//! One line per finding: `path:line:col: CODE [name] message`.

use super::{RenderOptions, shown_path, summary};
use crate::lint::Report;
use crate::tree::Tree;

pub(super) fn render(report: &Report, tree: &Tree, _options: RenderOptions) -> String {
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        let (line, column) = tree
            .source(diagnostic.file)
            .position(diagnostic.range.start);
        let fixable = if diagnostic.fix.is_some() { "[*] " } else { "" };
        out.push_str(&format!(
            "{}:{line}:{column}: {} {fixable}[{}] {}\n",
            shown_path(tree, diagnostic.file),
            diagnostic.rule.code,
            diagnostic.rule.name,
            diagnostic.message
        ));
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}
