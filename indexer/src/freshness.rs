//! Whether the current generation still reflects the tree on disk.
//!
//! `catalog serve` asks this before serving, so that a server never answers from an index
//! older than the articles next to it without saying so.

use std::collections::HashSet;
use std::path::Path;

use crate::Result;
use crate::config::Config;
use crate::ingest::scan::{reusable, scan_files};
use crate::ingest::{TOOL_VERSION, config_hash};
use crate::store::{DataDir, Generation, generation_info, open_read_only};
use crate::tree::discover;

/// How the current generation compares with the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// There is no current generation.
    Missing,
    /// The generation is older than the tree; the reason says how.
    Stale(String),
    /// The generation was built from exactly these files, this configuration and this tool.
    Fresh(Generation),
}

/// Compares the current generation under `data_dir` with the tree of `config`: the tool
/// version, the catalog.toml hash, the database schema and the content hash of every markdown
/// file (read only when its length or modification time changed).
pub async fn freshness(config: &Config, data_dir: &Path) -> Result<Freshness> {
    let Some(generation) = DataDir::new(data_dir).current() else {
        return Ok(Freshness::Missing);
    };
    let pool = open_read_only(&generation.sqlite_path()).await?;
    let info = generation_info(&pool).await?;
    if info.tool_version.as_deref() != Some(TOOL_VERSION) {
        pool.close().await;
        return Ok(Freshness::Stale(format!(
            "built by version {}, this is {TOOL_VERSION}",
            info.tool_version.as_deref().unwrap_or("unknown")
        )));
    }
    if info.config_hash.as_deref() != Some(config_hash(config).as_str()) {
        pool.close().await;
        return Ok(Freshness::Stale("catalog.toml changed".to_string()));
    }
    pool.close().await;
    let Some(previous) = reusable(&generation, &config_hash(config)).await else {
        return Ok(Freshness::Stale(
            "built with another database schema".to_string(),
        ));
    };
    // As an index run would: files whose length and modification time are unchanged since
    // the generation read them are not read again.
    let found = discover(config)?;
    let contents = scan_files(
        config,
        &found.markdown,
        previous
            .files_read_at
            .map(|read_at| (&previous.files, read_at)),
    )?;
    let changed = contents
        .iter()
        .filter(|file| {
            previous
                .files
                .get(&file.rel)
                .map(|row| row.content_hash.as_str())
                != Some(file.hash.as_str())
        })
        .count();
    let present: HashSet<&str> = found.markdown.iter().map(String::as_str).collect();
    let removed = previous
        .files
        .keys()
        .filter(|path| !present.contains(path.as_str()))
        .count();
    Ok(match (changed, removed) {
        (0, 0) => Freshness::Fresh(generation),
        (changed, 0) => Freshness::Stale(format!("{changed} file(s) added or changed")),
        (0, removed) => Freshness::Stale(format!("{removed} file(s) removed")),
        (changed, removed) => Freshness::Stale(format!(
            "{changed} file(s) added or changed, {removed} removed"
        )),
    })
}
