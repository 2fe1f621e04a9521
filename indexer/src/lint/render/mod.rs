//! Output formats of `catalog lint`.

mod concise;
mod full;
mod github;
mod json;
mod sarif;

use std::collections::BTreeMap;

use crate::config::Severity;
use crate::lint::Report;
use crate::tree::Tree;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Header, labelled source excerpt and help for each finding, then a summary.
    Full,
    /// One line per finding.
    Concise,
    /// A JSON array.
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
}

/// Rendering options.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// ANSI colours.
    pub color: bool,
}

/// Renders a report.
pub fn render(report: &Report, tree: &Tree, format: Format, options: RenderOptions) -> String {
    match format {
        Format::Full => full::render(report, tree, options),
        Format::Concise => concise::render(report, tree, options),
        Format::Json => json::render(report, tree),
        Format::Github => github::render(report, tree),
        Format::Sarif => sarif::render(report, tree),
    }
}

/// One line per rule with its count, most frequent first (`--statistics`).
pub fn statistics(report: &Report) -> String {
    let mut counts: BTreeMap<(&str, &str), (usize, bool)> = BTreeMap::new();
    for diagnostic in &report.diagnostics {
        let entry = counts
            .entry((diagnostic.rule.code, diagnostic.rule.name))
            .or_insert((0, false));
        entry.0 += 1;
        entry.1 |= diagnostic.fix.is_some();
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    let width = rows
        .iter()
        .map(|(_, (n, _))| n.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for ((code, name), (count, fixable)) in rows {
        let mark = if fixable { "[*]" } else { "   " };
        out.push_str(&format!("{count:>width$}\t{code}\t{mark} {name}\n"));
    }
    out
}

/// "Found 2 errors and 1 warning (1 fixable with `--fix`)." or "All checks passed!".
pub fn summary(report: &Report) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    if errors + warnings == 0 {
        return format!(
            "All checks passed! ({} file{} checked)",
            report.files_checked,
            plural(report.files_checked)
        );
    }
    let fixable = report
        .diagnostics
        .iter()
        .filter(|d| d.fix.is_some())
        .count();
    let mut line = format!(
        "Found {errors} error{} and {warnings} warning{} in {} file{} checked.",
        plural(errors),
        plural(warnings),
        report.files_checked,
        plural(report.files_checked)
    );
    if fixable > 0 {
        line.push_str(&format!(
            "\n[*] {fixable} fixable with `catalog lint --fix`."
        ));
    }
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The path of a finding's file as shown to the user, with `/` separators.
fn shown_path(tree: &Tree, file: usize) -> String {
    tree.source(file)
        .display_path
        .to_string_lossy()
        .replace('\\', "/")
}
