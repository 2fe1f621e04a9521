//! Whether the current generation still reflects the tree on disk.
//!
//! `catalog serve` asks this before serving, so that a server never answers from an index
//! older than the articles next to it without saying so.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::ingest::{TOOL_VERSION, config_hash};
use crate::store::{DataDir, Generation, generation_info, open_read_only};
use crate::tree::discover;
use crate::{Error, Result};

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
/// version, the catalog.toml hash and the content hash of every markdown file.
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
    let known: HashMap<String, String> =
        sqlx::query_as::<_, (String, String)>("SELECT path, content_hash FROM files")
            .fetch_all(&pool)
            .await
            .map_err(|err| Error::store(generation.sqlite_path(), err))?
            .into_iter()
            .collect();
    pool.close().await;

    let found = discover(config)?;
    let changed = found
        .markdown
        .par_iter()
        .map(|rel| {
            let path = config.root.join(rel);
            let bytes = std::fs::read(&path).map_err(|err| Error::io(&path, err))?;
            let hash = blake3::hash(&bytes).to_hex();
            Ok(usize::from(
                known.get(rel).map(String::as_str) != Some(hash.as_str()),
            ))
        })
        .collect::<Result<Vec<usize>>>()?
        .into_iter()
        .sum::<usize>();
    let present: std::collections::HashSet<&str> =
        found.markdown.iter().map(String::as_str).collect();
    let removed = known
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
