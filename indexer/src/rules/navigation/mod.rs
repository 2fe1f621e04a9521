//! `N`: navigation files (`_meta.js`, `_meta.json`) against the files beside them.

pub mod invalid_navigation_file;
pub(crate) mod meta;
pub mod missing_from_navigation;
pub mod navigation_entry_without_file;

pub use meta::{MetaEntry, MetaError, parse_meta};

use crate::tree::Tree;

/// The folder of a navigation file, relative to the root.
pub(crate) fn folder_of(rel_path: &str) -> &str {
    rel_path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// Joins a folder and a name.
pub(crate) fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

/// Whether a navigation key names something in `folder`: a page or a sub-folder.
pub(crate) fn key_exists(tree: &Tree, folder: &str, key: &str) -> bool {
    let base = join(folder, key);
    ["md", "mdx"]
        .iter()
        .any(|ext| tree.has_file(&format!("{base}.{ext}")))
        || tree.has_folder(&base)
}
