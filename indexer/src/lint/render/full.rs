//! The default format: a header line, the labelled source excerpt, and the help line.

use anstyle::{AnsiColor, Effects, Style};

use super::{RenderOptions, shown_path, summary};
use crate::config::Severity;
use crate::lint::{Diagnostic, Report};
use crate::tree::Tree;

/// At most this many source lines are shown per finding.
const MAX_LINES: usize = 4;

struct Paint {
    color: bool,
}

impl Paint {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

pub(super) fn render(report: &Report, tree: &Tree, options: RenderOptions) -> String {
    let paint = Paint {
        color: options.color,
    };
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        render_one(&mut out, diagnostic, tree, &paint);
        out.push('\n');
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

fn render_one(out: &mut String, diagnostic: &Diagnostic, tree: &Tree, paint: &Paint) {
    let bold = Style::new().effects(Effects::BOLD);
    let (level, level_style) = match diagnostic.severity {
        Severity::Error => (
            "error",
            Style::new()
                .fg_color(Some(AnsiColor::Red.into()))
                .effects(Effects::BOLD),
        ),
        _ => (
            "warning",
            Style::new()
                .fg_color(Some(AnsiColor::Yellow.into()))
                .effects(Effects::BOLD),
        ),
    };
    let accent = Style::new()
        .fg_color(Some(AnsiColor::Blue.into()))
        .effects(Effects::BOLD);
    let source = tree.source(diagnostic.file);
    let (line, column) = source.position(diagnostic.range.start);
    let fixable = if diagnostic.fix.is_some() { " [*]" } else { "" };
    out.push_str(&format!(
        "{}:{line}:{column}: {} {} {}{fixable}\n",
        paint.paint(bold, &shown_path(tree, diagnostic.file)),
        paint.paint(level_style, &format!("{level}[{}]", diagnostic.rule.code)),
        paint.paint(bold, &format!("{}:", diagnostic.rule.name)),
        diagnostic.message,
    ));
    let text = &source.text;
    let lines = &source.lines;
    let first = lines.line_of(diagnostic.range.start.min(text.len()));
    let last = lines
        .line_of(
            diagnostic
                .range
                .end
                .saturating_sub(1)
                .max(diagnostic.range.start)
                .min(text.len()),
        )
        .min(first + MAX_LINES - 1);
    let gutter = (last + 1).to_string().len();
    let bar = paint.paint(accent, &format!("{:gutter$} |", ""));
    out.push_str(&format!("{bar}\n"));
    for index in first..=last {
        let range = lines.line_range(text, index);
        let content = &text[range.clone()];
        out.push_str(&format!(
            "{} {}\n",
            paint.paint(accent, &format!("{:>gutter$} |", index + 1)),
            content.replace('\t', "    ")
        ));
        let start = diagnostic.range.start.max(range.start).min(range.end);
        let end = diagnostic.range.end.min(range.end).max(start);
        let pad = display_width(&text[range.start..start]);
        let width = display_width(&text[start..end]).max(1);
        let label = if index == last {
            diagnostic.label.as_deref().unwrap_or("")
        } else {
            ""
        };
        let marks = format!("{}{} {label}", " ".repeat(pad), "^".repeat(width));
        out.push_str(&format!(
            "{bar} {}\n",
            paint.paint(level_style, marks.trim_end())
        ));
    }
    if let Some(help) = &diagnostic.help {
        out.push_str(&format!("{bar}\n"));
        out.push_str(&format!(
            "{} {} {help}\n",
            paint.paint(accent, &format!("{:gutter$} =", "")),
            paint.paint(bold, "help:")
        ));
    }
}

fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}
