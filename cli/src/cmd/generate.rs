//! `catalog generate` (hidden): a synthetic catalog for benchmarks.

use std::path::PathBuf;

use anyhow::{Context, Result};
use catalog_indexer::generate::generate;
use clap::Args;

use crate::ExitStatus;

/// Write N template-valid articles with random edges, and their catalog.toml.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Destination folder (created).
    dir: PathBuf,
    /// Number of articles.
    #[arg(long, default_value_t = 1000)]
    count: usize,
    /// Seed of the pseudo-random generator.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

pub fn run(args: GenerateArgs) -> Result<ExitStatus> {
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    generate(&args.dir, args.count, args.seed)?;
    println!("Wrote {} articles to {}", args.count, args.dir.display());
    Ok(ExitStatus::Success)
}
