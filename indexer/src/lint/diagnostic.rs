//! A finding: a rule, a place in a file, a message, and optionally a help line and a fix.

use std::ops::Range;

use crate::config::Severity;
use crate::lint::rule::Rule;

/// One text replacement in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Byte range replaced.
    pub range: Range<usize>,
    /// The new text.
    pub replacement: String,
}

/// A mechanical fix: edits to one file, applied together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, for `--diff` and JSON output.
    pub message: String,
    /// The edits, non-overlapping.
    pub edits: Vec<Edit>,
    /// The front-matter list this fix sets, when it edits the front matter: `--fix` keeps the
    /// fix only if the edited file parses to exactly this change and nothing else.
    pub sets: Option<ListChange>,
}

/// The intended result of a front-matter fix: top-level `key` holds exactly `items`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListChange {
    /// The top-level key, as written in the file.
    pub key: String,
    /// The list's items after the fix.
    pub items: Vec<String>,
}

impl Fix {
    /// A fix made of a single replacement.
    pub fn replace(
        message: impl Into<String>,
        range: Range<usize>,
        text: impl Into<String>,
    ) -> Fix {
        Fix {
            message: message.into(),
            edits: vec![Edit {
                range,
                replacement: text.into(),
            }],
            sets: None,
        }
    }
}

/// A finding of a rule.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The rule.
    pub rule: &'static Rule,
    /// Index of the source file in the tree (see `Tree::source`).
    pub file: usize,
    /// Byte range in the file.
    pub range: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// A short label shown under the excerpt.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// A mechanical fix, when one is safe.
    pub fix: Option<Fix>,
    /// Effective severity (set by the engine from the settings).
    pub severity: Severity,
}

impl Diagnostic {
    /// A finding of `rule` in `file` at `range`.
    pub fn new(
        rule: &'static Rule,
        file: usize,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            file,
            range,
            message: message.into(),
            label: None,
            help: None,
            fix: None,
            severity: rule.default_severity,
        }
    }

    /// Adds a label under the excerpt.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a help line when there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Attaches a fix.
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Attaches a fix when there is a safe one.
    pub fn maybe_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }
}
