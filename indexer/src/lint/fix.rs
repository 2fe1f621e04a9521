//! `--fix` and `--diff`: applies safe fixes, re-lints, and repeats until nothing changes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::lint::diagnostic::{Edit, Fix};
use crate::lint::fix_guard::fix_is_faithful;
use crate::lint::{PathFilter, Report, Settings, lint};
use crate::model::Document;
use crate::tree::Tree;

/// How many fix-and-relint rounds at most (fixes of one round may enable others).
const MAX_ROUNDS: usize = 10;

/// A file changed by fixes.
#[derive(Debug, Clone)]
pub struct FileChange {
    /// Path as shown to the user.
    pub path: PathBuf,
    /// Text before any fix.
    pub before: String,
    /// Text after all fixes.
    pub after: String,
    /// Number of fixes applied.
    pub fixes: usize,
}

impl FileChange {
    /// A unified diff of the change.
    pub fn diff(&self) -> String {
        let path = self.path.display().to_string();
        similar::TextDiff::from_lines(&self.before, &self.after)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string()
    }
}

/// Applies whole fixes that do not overlap an already accepted one; returns the new text and
/// how many fixes were applied. Identical fixes (several findings, one repair) count once.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    let mut seen: Vec<&Fix> = Vec::new();
    for fix in fixes {
        if seen.contains(fix) {
            continue;
        }
        seen.push(fix);
        let overlaps = fix.edits.iter().any(|edit| {
            accepted.iter().any(|other| {
                edit.range.start < other.range.end && other.range.start < edit.range.end
                    || (edit.range.is_empty() && edit.range.start == other.range.start)
            })
        });
        let valid = fix.edits.iter().all(|edit| {
            edit.range.end <= text.len()
                && text.is_char_boundary(edit.range.start)
                && text.is_char_boundary(edit.range.end)
        });
        if overlaps || !valid {
            continue;
        }
        accepted.extend(fix.edits.iter());
        applied += 1;
    }
    accepted.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in accepted {
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.replacement);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// Applies the fixes of one document that pass the guard: all of them when together they do,
/// else each in turn, kept when the file with it and the ones kept before still passes.
fn apply_faithful_fixes(doc: &Document, fixes: &[&Fix]) -> (String, usize) {
    let text = &doc.file.text;
    let (after, applied) = apply_fixes(text, fixes);
    if fix_is_faithful(doc, &after, fixes) {
        return (after, applied);
    }
    let mut kept: Vec<&Fix> = Vec::new();
    for fix in fixes {
        kept.push(fix);
        let (after, _) = apply_fixes(text, &kept);
        if !fix_is_faithful(doc, &after, &kept) {
            kept.pop();
        }
    }
    apply_fixes(text, &kept)
}

/// What `fix` did.
pub struct FixOutcome {
    /// The tree with the fixes applied.
    pub tree: Tree,
    /// Its lint report: what is left.
    pub report: Report,
    /// The changed files.
    pub changes: Vec<FileChange>,
    /// Findings of the first lint that the fixes resolved (one repair can resolve several,
    /// and a fix can resolve findings without a fix of their own).
    pub resolved: usize,
}

/// Fixes what can be fixed in the files `filter` includes, in memory. Returns the fixed tree,
/// its report, the changed files (the caller writes them or shows the diff) and how many
/// findings that resolved.
pub fn fix(tree: Tree, settings: &Settings, filter: &PathFilter) -> FixOutcome {
    let mut tree = tree;
    let mut first: Option<usize> = None;
    let mut originals: BTreeMap<usize, (String, usize)> = BTreeMap::new();
    let mut round = 0;
    loop {
        let report = lint(&tree, settings, filter);
        let found = *first.get_or_insert(report.diagnostics.len());
        let mut by_file: BTreeMap<usize, Vec<&Fix>> = BTreeMap::new();
        for diagnostic in &report.diagnostics {
            if let Some(fix) = &diagnostic.fix
                && diagnostic.file < tree.docs.len()
            {
                by_file.entry(diagnostic.file).or_default().push(fix);
            }
        }
        let mut updates = Vec::new();
        for (file, fixes) in by_file {
            let text = &tree.docs[file].file.text;
            let (after, applied) = apply_faithful_fixes(&tree.docs[file], &fixes);
            if applied > 0 && &after != text {
                originals.entry(file).or_insert_with(|| (text.clone(), 0)).1 += applied;
                updates.push((file, after));
            }
        }
        round += 1;
        if updates.is_empty() || round > MAX_ROUNDS {
            let changes: Vec<FileChange> = originals
                .into_iter()
                .map(|(file, (before, fixes))| FileChange {
                    path: tree.docs[file].file.display_path.clone(),
                    after: tree.docs[file].file.text.clone(),
                    before,
                    fixes,
                })
                .collect();
            let resolved = if changes.is_empty() {
                0
            } else {
                found.saturating_sub(report.diagnostics.len())
            };
            return FixOutcome {
                tree,
                report,
                changes,
                resolved,
            };
        }
        tree = tree.with_texts(updates);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_fixes_are_left_for_the_next_round() {
        let a = Fix::replace("a", 0..3, "xyz");
        let b = Fix::replace("b", 2..4, "Q");
        let c = Fix::replace("c", 5..6, "!");
        let (out, applied) = apply_fixes("abcdef", &[&a, &b, &c, &a]);
        assert_eq!(out, "xyzde!");
        assert_eq!(applied, 2);
    }
}
