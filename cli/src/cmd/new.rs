//! `catalog new`.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use catalog_indexer::config::Config;
use catalog_indexer::scaffold::skeleton;
use clap::Args;

use crate::ExitStatus;

/// Write a new article skeleton from the catalog's template.
///
/// Every placeholder says TODO; `catalog lint` reports them until they are replaced.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The category (its folder), e.g. `availability`.
    category: String,
    /// The slug: the file name without `.md`, in kebab-case, e.g. `retry-storm`.
    slug: String,
}

pub fn run(catalog: Option<PathBuf>, args: NewArgs) -> Result<ExitStatus> {
    let root = crate::root::resolve(catalog, &[])?;
    let config = Config::load(&root)?;
    let (path, text) = skeleton(&config, &args.category, &args.slug)?;
    if path.exists() {
        bail!("`{}` already exists; not overwriting it", path.display());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    println!("Created {}", path.display());
    println!(
        "Fill in every TODO, then run `catalog lint {}`.",
        path.display()
    );
    Ok(ExitStatus::Success)
}
