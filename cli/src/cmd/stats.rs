//! `catalog stats`.

use std::path::PathBuf;

use anyhow::Result;
use catalog_indexer::config::Config;
use catalog_indexer::store::{Stats, open_generation, stats};
use clap::{Args, ValueEnum};

use crate::ExitStatus;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// A readable table.
    Text,
    /// The same JSON as `GET /api/v1/stats`.
    Json,
}

/// Show how far the catalog has come: documented problems against each category's target,
/// the spread by difficulty, domain and industry, incidents and approaches, lint findings, and
/// the generation the figures come from (indexing first when there is none).
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(catalog: Option<PathBuf>, data: Option<PathBuf>, args: StatsArgs) -> Result<ExitStatus> {
    let root = crate::root::resolve(catalog, &[])?;
    let config = Config::load(&root)?;
    let generation = crate::cmd::index::current(&config, &crate::root::data_dir(&root, data))?;
    let figures = crate::root::runtime()?.block_on(async {
        let pool = open_generation(&generation).await?;
        let figures = stats(&pool).await;
        pool.close().await;
        figures
    })?;
    let text = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&figures)?),
        Format::Text => render(&figures),
    };
    crate::emit(&text)?;
    Ok(ExitStatus::Success)
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |p| format!("{p:.1} %"))
}

fn render(stats: &Stats) -> String {
    let mut out = String::new();
    outln!(
        out,
        "{} problems documented of {} targeted ({})\n",
        stats.problems,
        stats.target,
        percent(stats.percentage)
    );
    let width = stats
        .categories
        .iter()
        .map(|category| category.label.chars().count())
        .max()
        .unwrap_or(0);
    for category in &stats.categories {
        outln!(
            out,
            "  {:width$}  {:>5} / {:<5} {:>8}",
            category.label,
            category.documented,
            category.target,
            percent(category.percentage)
        );
    }
    for (title, counts) in [
        ("difficulty", &stats.by_difficulty),
        ("domain", &stats.by_domain),
        ("industry", &stats.by_industry),
        ("impact", &stats.by_impact),
    ] {
        let mut entries: Vec<(&String, &usize)> = counts.iter().collect();
        entries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let list: Vec<String> = entries
            .iter()
            .map(|(value, count)| format!("{value} {count}"))
            .collect();
        outln!(out, "\nBy {title}: {}", list.join(", "));
    }
    outln!(
        out,
        "\n{} incidents, {} approaches, {} sections; lint: {} errors, {} warnings",
        stats.incidents,
        stats.approaches,
        stats.sections,
        stats.lint.errors,
        stats.lint.warnings
    );
    outln!(
        out,
        "Generation {} built {}",
        stats.generation.id,
        stats
            .generation
            .built_at
            .as_deref()
            .unwrap_or("at an unknown time")
    );
    out
}
