//! `catalog init`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use catalog_indexer::config::CONFIG_FILE;
use catalog_indexer::infer::{infer_folder, to_toml};
use clap::Args;

use crate::ExitStatus;

/// The data folder `catalog index` writes inside a catalog, kept out of version control.
const DATA_DIR: &str = ".catalog/";

/// Infer a catalog.toml for an existing docs folder.
///
/// Reads every markdown file and infers the front-matter fields and their value sets, which
/// lists hold ids of other records, the reverse field (such as `linked_from`) if there is one,
/// and the sections most records share. Prints what it inferred, writes catalog.toml, and adds
/// the data folder `.catalog/` to the folder's .gitignore. Run at the root of a Nextra project
/// (a package.json or next.config beside `content/` or `pages/`), it adopts that folder.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The docs folder.
    dir: PathBuf,
    /// Overwrite an existing catalog.toml.
    #[arg(long)]
    force: bool,
    /// Print the inferred catalog.toml instead of writing it.
    #[arg(long)]
    dry_run: bool,
}

/// Files that mark the root of a Next.js/Nextra project rather than its docs folder.
const PROJECT_FILES: &[&str] = &[
    "package.json",
    "next.config.js",
    "next.config.mjs",
    "next.config.ts",
    "theme.config.jsx",
    "theme.config.tsx",
];

/// The docs folder of a Nextra project root (`content/`, else `pages/`), when `dir` is one and
/// holds no markdown of its own.
fn docs_folder(dir: &Path) -> Option<PathBuf> {
    let is_project = PROJECT_FILES.iter().any(|name| dir.join(name).is_file());
    let has_markdown = std::fs::read_dir(dir).ok()?.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        (name.ends_with(".md") && !name.eq_ignore_ascii_case("README.md")) || name.ends_with(".mdx")
    });
    if !is_project || has_markdown {
        return None;
    }
    ["content", "pages"]
        .iter()
        .map(|name| dir.join(name))
        .find(|folder| folder.is_dir())
}

pub fn run(mut args: InitArgs) -> Result<ExitStatus> {
    if !args.dir.is_dir() {
        bail!("`{}` is not a folder", args.dir.display());
    }
    if let Some(folder) = docs_folder(&args.dir) {
        eprintln!(
            "`{}` is a Nextra project: its docs are in `{}`",
            args.dir.display(),
            folder.display()
        );
        args.dir = folder;
    }
    let target = args.dir.join(CONFIG_FILE);
    if target.exists() && !args.force && !args.dry_run {
        bail!(
            "`{}` already exists (use --force to replace it)",
            target.display()
        );
    }
    let inference = infer_folder(&args.dir)?;
    let text = to_toml(&inference);
    if args.dry_run {
        print!("{text}");
        return Ok(ExitStatus::Success);
    }
    print!("{}", inference.describe());
    std::fs::write(&target, text).with_context(|| format!("cannot write {}", target.display()))?;
    let gitignore = args.dir.join(".gitignore");
    let existing = std::fs::read_to_string(&gitignore).unwrap_or_default();
    if !existing
        .lines()
        .any(|line| line.trim() == DATA_DIR || line.trim() == ".catalog")
    {
        let separator = if existing.is_empty() || existing.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        std::fs::write(&gitignore, format!("{existing}{separator}{DATA_DIR}\n"))
            .with_context(|| format!("cannot write {}", gitignore.display()))?;
    }
    println!(
        "Wrote {}. Next: catalog --catalog {} lint",
        target.display(),
        args.dir.display()
    );
    Ok(ExitStatus::Success)
}
