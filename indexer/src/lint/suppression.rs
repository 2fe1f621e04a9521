//! Inline suppression comments:
//! `<!-- catalog-lint-disable CODE[, CODE] -- reason -->` (to `catalog-lint-enable` or the end of
//! the file), `<!-- catalog-lint-disable-next-line CODE -->` and
//! `<!-- catalog-lint-disable-file CODE -->`.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::lint::diagnostic::Diagnostic;
use crate::lint::settings::{is_valid_selector, selects};
use crate::model::Document;
use crate::rules::suppression::{invalid_suppression, unused_suppression};

static COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<!--\s*catalog-lint-([a-z-]*)(.*?)-->").expect("the pattern is valid")
});

/// Where a suppression applies.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    File,
    Bytes(Range<usize>),
}

#[derive(Debug)]
struct Suppression {
    comment: Range<usize>,
    selector: String,
    scope: Scope,
    used: bool,
}

/// The suppressions of one document.
#[derive(Debug, Default)]
pub struct Suppressions {
    items: Vec<Suppression>,
    invalid: Vec<(Range<usize>, String, &'static str)>,
}

impl Suppressions {
    /// Reads the suppression comments of a document (not those inside code blocks).
    pub fn parse(doc: &Document) -> Suppressions {
        let text = &doc.file.text;
        let mut out = Suppressions::default();
        let mut open: Vec<usize> = Vec::new();
        for captures in COMMENT.captures_iter(text) {
            let Some(whole) = captures.get(0) else {
                continue;
            };
            if doc.body.in_code(whole.start()) {
                continue;
            }
            let directive = captures.get(1).map_or("", |m| m.as_str());
            let rest = captures.get(2).map_or("", |m| m.as_str());
            let selectors_text = rest.split(" -- ").next().unwrap_or("").trim();
            let selectors: Vec<&str> = selectors_text
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let comment = whole.range();
            let scope = match directive {
                "disable" => Scope::Bytes(comment.end..text.len()),
                "disable-next-line" => {
                    let line = doc.file.lines.line_of(comment.end) + 1;
                    Scope::Bytes(doc.file.lines.line_range(text, line))
                }
                "disable-file" => Scope::File,
                "enable" => {
                    for selector in &selectors {
                        for &index in open.iter().rev() {
                            let item: &mut Suppression = &mut out.items[index];
                            if item.selector.eq_ignore_ascii_case(selector)
                                && let Scope::Bytes(range) = &mut item.scope
                                && range.end == text.len()
                            {
                                range.end = comment.start;
                                break;
                            }
                        }
                    }
                    continue;
                }
                other => {
                    out.invalid.push((
                        comment,
                        format!("unknown directive `catalog-lint-{other}`"),
                        "use catalog-lint-disable, -disable-next-line, -disable-file or -enable",
                    ));
                    continue;
                }
            };
            if selectors.is_empty() {
                out.invalid.push((
                    comment,
                    "the suppression names no rule".into(),
                    "name the rules to suppress, e.g. `catalog-lint-disable R002 -- reason`",
                ));
                continue;
            }
            for selector in selectors {
                if !is_valid_selector(selector) {
                    out.invalid.push((
                        comment.clone(),
                        format!("`{selector}` is not a rule code or name"),
                        "run `catalog rule --all` to list the rules",
                    ));
                    continue;
                }
                if directive == "disable" {
                    open.push(out.items.len());
                }
                out.items.push(Suppression {
                    comment: comment.clone(),
                    selector: selector.to_string(),
                    scope: scope.clone(),
                    used: false,
                });
            }
        }
        out
    }

    /// Whether a finding is suppressed; marks the suppression used.
    pub fn suppresses(&mut self, diagnostic: &Diagnostic) -> bool {
        let mut hit = false;
        for item in &mut self.items {
            let in_scope = match &item.scope {
                Scope::File => true,
                Scope::Bytes(range) => {
                    range.contains(&diagnostic.range.start)
                        || (range.is_empty() && range.start == diagnostic.range.start)
                }
            };
            if in_scope && selects(&item.selector, diagnostic.rule) {
                item.used = true;
                hit = true;
            }
        }
        hit
    }

    /// Findings about the comments themselves: unused and invalid suppressions.
    pub fn findings(&self, file: usize) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for item in self.items.iter().filter(|item| !item.used) {
            out.push(
                Diagnostic::new(
                    &unused_suppression::RULE,
                    file,
                    item.comment.clone(),
                    format!("suppression of `{}` hides no finding", item.selector),
                )
                .label("unused")
                .help("remove the suppression"),
            );
        }
        for (range, message, help) in &self.invalid {
            out.push(
                Diagnostic::new(
                    &invalid_suppression::RULE,
                    file,
                    range.clone(),
                    message.clone(),
                )
                .label("invalid suppression")
                .help(*help),
            );
        }
        out
    }
}
