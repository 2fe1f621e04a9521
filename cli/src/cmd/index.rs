//! `catalog index`.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Result;
use catalog_indexer::config::Config;
use catalog_indexer::freshness::{Freshness, freshness};
use catalog_indexer::ingest::{IndexOptions, IndexSummary, index};
use catalog_indexer::store::Generation;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::ExitStatus;

/// Build a new generation of the database and search index from the articles.
///
/// Only files whose content changed since the current generation are parsed again. The new
/// generation becomes current atomically once it is complete; a failed or interrupted run
/// leaves the current one serving. Articles with lint findings are indexed when they parse.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Refuse to index when `catalog lint` finds errors.
    #[arg(long)]
    strict: bool,
    /// Rebuild everything instead of reusing the current generation.
    #[arg(long)]
    full: bool,
}

pub fn run(catalog: Option<PathBuf>, data: Option<PathBuf>, args: IndexArgs) -> Result<ExitStatus> {
    let root = crate::root::resolve(catalog, &[])?;
    let config = Config::load(&root)?;
    let options = IndexOptions {
        data_dir: crate::root::data_dir(&root, data),
        strict: args.strict,
        full: args.full,
        fail_before_switch: false,
    };
    let summary = build(config, &options)?;
    print_summary(&summary);
    Ok(ExitStatus::Success)
}

/// Runs an index with a progress bar on a terminal.
pub fn build(config: Config, options: &IndexOptions) -> Result<IndexSummary> {
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} indexing [{bar:30}] {pos}/{len} files")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Some(bar)
    } else {
        None
    };
    let progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let summary = crate::root::runtime()?.block_on(index(config, options, &progress));
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    Ok(summary?)
}

/// The generation a read command answers from: the current one when it reflects the
/// articles on disk; otherwise the articles are indexed first (incrementally), saying why on
/// stderr, as `catalog serve` does.
pub fn current(config: &Config, data_dir: &std::path::Path) -> Result<Generation> {
    let root = &config.root;
    let state = crate::root::runtime()?.block_on(freshness(config, data_dir))?;
    match state {
        Freshness::Fresh(generation) => return Ok(generation),
        Freshness::Missing => eprintln!(
            "No index in {} yet: indexing {} first.",
            data_dir.display(),
            root.display()
        ),
        Freshness::Stale(reason) => {
            eprintln!("The index is out of date ({reason}): re-indexing.");
        }
    }
    let options = IndexOptions {
        data_dir: data_dir.to_path_buf(),
        ..IndexOptions::default()
    };
    let summary = build(config.clone(), &options)?;
    Ok(summary.generation)
}

/// The one-line summary and the files whose front matter could not be read.
pub fn print_summary(summary: &IndexSummary) {
    for file in &summary.unreadable {
        eprintln!(
            "warning: {}: {} (indexed by its body only)",
            file.path, file.reason
        );
    }
    let mode = if summary.incremental {
        format!(
            "{} of {} files parsed, {} removed",
            summary.parsed, summary.files, summary.removed
        )
    } else {
        format!("{} files parsed", summary.parsed)
    };
    println!(
        "Indexed {} records, {} sections ({mode}); {} lint errors, {} warnings in parsed files; generation {} in {:.2} s",
        summary.records,
        summary.sections,
        summary.errors,
        summary.warnings,
        summary.generation.id,
        summary.seconds
    );
}
