//! Finding the catalog folder a command works on.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use catalog_indexer::config::CONFIG_FILE;

/// The catalog root: `explicit` (from `--catalog` or `$CATALOG_DIR`), else the nearest folder
/// holding `catalog.toml` above the first path or the working directory, else `./catalog`.
pub fn resolve(explicit: Option<PathBuf>, paths: &[PathBuf]) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        if !dir.is_dir() {
            bail!("catalog folder `{}` does not exist", dir.display());
        }
        if !dir.join(CONFIG_FILE).is_file() {
            bail!(
                "`{}` has no {CONFIG_FILE}: run `catalog init {}` to adopt a docs folder, or \
                 pass the folder that holds {CONFIG_FILE}",
                dir.display(),
                dir.display()
            );
        }
        return Ok(dir);
    }
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    let start = match paths.first() {
        Some(path) => {
            let absolute = cwd.join(path);
            if !absolute.exists() {
                bail!("`{}` does not exist", path.display());
            }
            absolute
        }
        None => cwd.clone(),
    };
    for dir in start.ancestors() {
        if dir.join(CONFIG_FILE).is_file() {
            return Ok(shorten(&cwd, dir));
        }
    }
    let default = Path::new("catalog");
    if default.join(CONFIG_FILE).is_file() || (paths.is_empty() && default.is_dir()) {
        return Ok(default.to_path_buf());
    }
    bail!(
        "no catalog found: no {CONFIG_FILE} here or above, and no ./catalog folder \
         (pass --catalog DIR, set CATALOG_DIR, or run `catalog init DIR`)"
    )
}

/// `dir` relative to the working directory when it is inside it, so that paths in messages
/// stay short.
fn shorten(cwd: &Path, dir: &Path) -> PathBuf {
    match dir.strip_prefix(cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => dir.to_path_buf(),
    }
}

/// The data folder: `explicit` (from `--data` or `$CATALOG_DATA`), else `.catalog/` inside
/// the catalog folder.
pub fn data_dir(root: &Path, explicit: Option<PathBuf>) -> PathBuf {
    explicit.unwrap_or_else(|| root.join(catalog_indexer::store::DEFAULT_DATA_DIR))
}

/// A runtime for the async stores.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}
