//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The `catalog` binary built for these tests, run in `dir` with no catalog from the
/// environment and no colours.
pub fn catalog(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_catalog-under-test"));
    command
        .current_dir(dir)
        .env_remove("CATALOG_DIR")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1");
    command
}

/// A fixture folder under `tests/tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The bundled catalog.
pub fn bundled_catalog() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog")
}

/// A temporary copy of a folder.
pub fn copy_tree(from: &Path) -> TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_into(from, dir.path());
    dir
}

fn copy_into(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        if entry.file_name() == ".catalog" {
            // A data folder left by a local run is not part of the catalog.
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_into(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Appends `text` to the file at `path` (an edit made while a test runs).
pub fn append(path: &Path, text: &str) {
    let mut content = std::fs::read_to_string(path).expect("read file");
    content.push_str(text);
    std::fs::write(path, content).expect("write file");
}
