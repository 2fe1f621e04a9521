//! What a lint rule is: its identity, documentation and check function.

use crate::config::{Config, Severity};
use crate::lint::diagnostic::Diagnostic;
use crate::lint::graph::ReferenceGraph;
use crate::model::{Document, ProblemRecord};
use crate::tree::Tree;

/// A family of rules, named by the code prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// `F`: front matter.
    FrontMatter,
    /// `S`: body structure against the template.
    Structure,
    /// `R`: cross-references and links.
    References,
    /// `I`: cited incidents.
    Incidents,
    /// `G`: signatures (log lines and error messages).
    Signatures,
    /// `N`: navigation files.
    Navigation,
    /// `X`: files.
    Files,
    /// `L`: the linter's own suppression comments.
    Suppression,
}

impl Family {
    /// Human name.
    pub fn name(self) -> &'static str {
        match self {
            Family::FrontMatter => "front matter",
            Family::Structure => "structure",
            Family::References => "references",
            Family::Incidents => "incidents",
            Family::Signatures => "signatures",
            Family::Navigation => "navigation",
            Family::Files => "files",
            Family::Suppression => "suppression",
        }
    }
}

/// What a document-level check sees.
pub struct DocContext<'a> {
    /// The whole tree (for cross-references).
    pub tree: &'a Tree,
    /// The reference graph of the whole tree.
    pub graph: &'a ReferenceGraph,
    /// Index of the document (also its source index).
    pub index: usize,
    /// The document.
    pub doc: &'a Document,
    /// Its record, when it is one.
    pub record: Option<&'a ProblemRecord>,
}

impl DocContext<'_> {
    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.tree.config
    }
}

/// What a tree-level check sees.
pub struct TreeContext<'a> {
    /// The whole tree.
    pub tree: &'a Tree,
    /// The reference graph.
    pub graph: &'a ReferenceGraph,
}

/// How a rule is run.
#[derive(Clone, Copy)]
pub enum Check {
    /// Once per markdown document.
    Document(fn(&DocContext, &mut Vec<Diagnostic>)),
    /// Once per tree.
    Tree(fn(&TreeContext, &mut Vec<Diagnostic>)),
    /// Reported by the engine itself (suppression comments).
    Engine,
}

/// A lint rule.
pub struct Rule {
    /// Stable code such as `F004`.
    pub code: &'static str,
    /// Kebab-case name that says what is wrong.
    pub name: &'static str,
    /// Family.
    pub family: Family,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// Whether `--fix` can repair it.
    pub fixable: bool,
    /// One line.
    pub summary: &'static str,
    /// Markdown with `## What it does`, `## Why is this bad?` and `## Example`.
    pub doc: &'static str,
    /// How it runs.
    pub check: Check,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code, self.name)
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for Rule {}
