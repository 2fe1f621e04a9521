//! `catalog generate` (hidden): a synthetic catalog for benchmarks.

use std::path::PathBuf;

use anyhow::{Context, Result};
use catalog_indexer::generate::{Vocabulary, generate};
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
    /// Draw prose from the words of the markdown files under this folder, each as often as
    /// its rank there says (Zipf), so that posting lists look like a real site's.
    #[arg(long, value_name = "DIR", default_value = "catalog")]
    words_from: PathBuf,
}

pub fn run(args: GenerateArgs) -> Result<ExitStatus> {
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    let words = Vocabulary::from_prose(&args.words_from)?;
    generate(&args.dir, args.count, args.seed, Some(words))?;
    println!("Wrote {} articles to {}", args.count, args.dir.display());
    Ok(ExitStatus::Success)
}
