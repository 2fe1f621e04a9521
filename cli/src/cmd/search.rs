//! `catalog search`.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result};
use catalog_indexer::config::Config;
use catalog_indexer::search::{Filters, SearchEngine, SearchRequest, SearchResponse};
use catalog_indexer::store::DataDir;
use clap::{Args, ValueEnum};

use crate::ExitStatus;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Ranked hits with their best section and a highlighted snippet.
    Text,
    /// The same JSON as the HTTP API's search.
    Json,
}

/// Search the catalog for a symptom, an error message or a topic.
///
/// Words are matched with stemming, typo tolerance (not for short words or numbers) and
/// synonyms from catalog.toml; the last word also matches as a prefix. `"quoted phrases"` must
/// appear as written; `-word` excludes problems that contain it. Filters repeat (OR) and
/// combine across fields (AND).
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query.
    query: String,
    /// Only these categories.
    #[arg(long)]
    category: Vec<String>,
    /// Only these domains.
    #[arg(long)]
    domain: Vec<String>,
    /// Only these industries.
    #[arg(long)]
    industry: Vec<String>,
    /// Only these difficulties.
    #[arg(long)]
    difficulty: Vec<String>,
    /// Only problems with one of these tags.
    #[arg(long)]
    tag: Vec<String>,
    /// Only problems citing an incident at one of these companies.
    #[arg(long)]
    company: Vec<String>,
    /// Number of hits.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=100))]
    limit: u16,
    /// Hits to skip.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Include each hit's score breakdown (JSON output).
    #[arg(long)]
    explain: bool,
}

pub fn run(
    catalog: Option<PathBuf>,
    data: Option<PathBuf>,
    args: SearchArgs,
) -> Result<ExitStatus> {
    let root = crate::root::resolve(catalog, &[])?;
    let config = Config::load(&root)?;
    let data = DataDir::new(crate::root::data_dir(&root, data));
    let generation = match data.current() {
        Some(generation) => generation,
        None => crate::cmd::index::first_index(&root, data.path())?,
    };
    let runtime = crate::root::runtime()?;
    let engine = runtime
        .block_on(SearchEngine::open(&generation, &config))
        .context("cannot open the current generation")?;
    let request = SearchRequest {
        q: args.query.clone(),
        filters: Filters {
            category: args.category,
            domain: args.domain,
            industry: args.industry,
            difficulty: args.difficulty,
            tag: args.tag,
            company: args.company,
        },
        limit: usize::from(args.limit),
        offset: args.offset,
        explain: args.explain,
    };
    let response = engine.search(&request)?;
    let out = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&response)?),
        Format::Text => text(
            &response,
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        ),
    };
    crate::emit(&out)?;
    Ok(ExitStatus::Success)
}

fn text(response: &SearchResponse, color: bool) -> String {
    let mut out = String::new();
    if response.hits.is_empty() {
        outln!(out, "No problem matches `{}`.", response.query);
        return out;
    }
    let bold = |text: &str| {
        if color {
            format!("\u{1b}[1m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    };
    let dim = |text: &str| {
        if color {
            format!("\u{1b}[2m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    };
    for (rank, hit) in response.hits.iter().enumerate() {
        outln!(
            out,
            "{:>2}. {}  {}",
            rank + 1,
            bold(&hit.title),
            dim(&hit.id)
        );
        if let Some(section) = hit.sections.first() {
            outln!(
                out,
                "    § {}  {}",
                section.heading,
                dim(&format!("{}#{}", hit.id, section.anchor))
            );
        }
        let snippet = highlight(&hit.snippet, color);
        if !snippet.trim().is_empty() {
            outln!(out, "    {}", snippet.replace('\n', " "));
        }
    }
    outln!(
        out,
        "{}",
        dim(&format!(
            "{} problem{} matched in {:.1} ms",
            response.total,
            if response.total == 1 { "" } else { "s" },
            response.took_ms
        ))
    );
    out
}

/// Turns the `<b>` highlights of a snippet into bold (or `*…*` without colour) and unescapes
/// the HTML entities the snippet generator writes.
fn highlight(html: &str, color: bool) -> String {
    let (open, close) = if color {
        ("\u{1b}[1;33m", "\u{1b}[0m")
    } else {
        ("*", "*")
    };
    html.replace("<b>", open)
        .replace("</b>", close)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}
