//! `catalog lint`: runs the rules over a tree, applies settings and suppressions, and renders
//! or fixes the findings.

pub mod diagnostic;
pub mod fix;
pub mod fix_guard;
pub mod graph;
pub mod render;
pub mod rule;
pub mod settings;
pub mod suggest;
pub mod suppression;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Severity;
use crate::rules::RULES;
use crate::tree::Tree;
pub use diagnostic::{Diagnostic, Edit, Fix};
use graph::ReferenceGraph;
pub use rule::{Check, DocContext, Family, Rule, TreeContext};
pub use settings::{Settings, find_rule};
use suppression::Suppressions;

/// Which files findings are reported for. The whole tree is always read.
#[derive(Debug, Clone, Default)]
pub struct PathFilter {
    paths: Vec<PathBuf>,
}

impl PathFilter {
    /// Reports findings for files under any of `paths` (all files when empty).
    pub fn new(paths: Vec<PathBuf>) -> PathFilter {
        let paths = paths
            .into_iter()
            .map(|path| std::fs::canonicalize(&path).unwrap_or(path))
            .collect();
        PathFilter { paths }
    }

    /// Whether findings in `path` are reported.
    pub fn includes(&self, path: &Path) -> bool {
        if self.paths.is_empty() {
            return true;
        }
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.paths.iter().any(|wanted| path.starts_with(wanted))
    }
}

/// The outcome of a lint run.
#[derive(Debug)]
pub struct Report {
    /// Findings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of files findings were reported for.
    pub files_checked: usize,
}

impl Report {
    /// Number of findings at `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Whether the run fails: any error, or any warning when warnings are denied.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.count(Severity::Error) > 0 || (deny_warnings && self.count(Severity::Warning) > 0)
    }
}

/// Lints `tree`, reporting findings for the files `filter` includes.
pub fn lint(tree: &Tree, settings: &Settings, filter: &PathFilter) -> Report {
    let graph = ReferenceGraph::build(tree);
    let config = &tree.config;
    let included: Vec<bool> = (0..tree.source_count())
        .map(|index| filter.includes(&tree.source(index).display_path))
        .collect();
    let enabled =
        |rule: &Rule, file: usize| settings.enabled_for(config, rule, &tree.source(file).rel_path);
    let mut per_file: Vec<Vec<Diagnostic>> = tree
        .docs
        .par_iter()
        .enumerate()
        .map(|(index, doc)| {
            let mut out = Vec::new();
            if !included[index] {
                return out;
            }
            let ctx = DocContext {
                tree,
                graph: &graph,
                index,
                doc,
                record: tree.records[index].as_deref(),
            };
            for rule in RULES {
                if let Check::Document(check) = rule.check
                    && enabled(rule, index)
                {
                    check(&ctx, &mut out);
                }
            }
            out
        })
        .collect();
    per_file.resize_with(tree.source_count(), Vec::new);
    let tree_ctx = TreeContext {
        tree,
        graph: &graph,
    };
    for rule in RULES {
        // A rule switched off everywhere is not run at all.
        if let Check::Tree(check) = rule.check
            && settings.severity(rule) != Severity::Off
        {
            let mut out = Vec::new();
            check(&tree_ctx, &mut out);
            for diagnostic in out {
                if included[diagnostic.file] && enabled(rule, diagnostic.file) {
                    per_file[diagnostic.file].push(diagnostic);
                }
            }
        }
    }
    let mut diagnostics = Vec::new();
    for (file, found) in per_file.into_iter().enumerate() {
        if !included[file] {
            continue;
        }
        let mut suppressions = match tree.docs.get(file) {
            Some(doc) => Suppressions::parse(doc),
            None => Suppressions::default(),
        };
        for diagnostic in found {
            if !suppressions.suppresses(&diagnostic) {
                diagnostics.push(diagnostic);
            }
        }
        diagnostics.extend(
            suppressions
                .findings(file)
                .into_iter()
                .filter(|d| enabled(d.rule, file)),
        );
    }
    for diagnostic in &mut diagnostics {
        diagnostic.severity = settings.severity(diagnostic.rule);
    }
    diagnostics.sort_by(|a, b| {
        let path = |d: &Diagnostic| tree.source(d.file).rel_path.as_str();
        path(a)
            .cmp(path(b))
            .then(a.range.start.cmp(&b.range.start))
            .then(a.rule.code.cmp(b.rule.code))
    });
    Report {
        diagnostics,
        files_checked: included.iter().filter(|i| **i).count(),
    }
}
