//! Helpers shared by the integration tests (and the benches); each uses some of them.
#![allow(dead_code)]

use std::path::Path;

use catalog_indexer::config::Config;
use catalog_indexer::infer::{infer_folder, to_toml};
use catalog_indexer::ingest::{IndexOptions, IndexSummary, index};
use catalog_indexer::search::SearchEngine;
use tempfile::TempDir;

/// Indexes the catalog folder `root`, as its `catalog.toml` describes it, into a temporary
/// data folder. The data folder is returned with the configuration and the run's summary:
/// everything opened from the summary's generation reads from it.
pub async fn index_catalog(root: &Path) -> (Config, IndexSummary, TempDir) {
    let config = Config::load(root).expect("catalog.toml");
    let data = tempfile::tempdir().expect("temporary data folder");
    let options = IndexOptions {
        data_dir: data.path().to_path_buf(),
        ..IndexOptions::default()
    };
    let summary = index(config.clone(), &options, &|_, _| {})
        .await
        .expect("index");
    (config, summary, data)
}

/// Writes the `catalog.toml` that `catalog init` infers for the folder `root`, indexes the
/// folder into a temporary data folder and opens its search engine. The data folder is
/// returned with it: the engine reads from it.
pub async fn index_inferred(root: &Path) -> (SearchEngine, TempDir) {
    let inference = infer_folder(root).expect("infer");
    std::fs::write(root.join("catalog.toml"), to_toml(&inference)).expect("write");
    let (config, summary, data) = index_catalog(root).await;
    let engine = SearchEngine::open(&summary.generation, &config)
        .await
        .expect("open");
    (engine, data)
}
