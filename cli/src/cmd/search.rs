//! `catalog search`.

use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use catalog_indexer::config::Config;
use catalog_indexer::search::{Filters, SearchEngine, SearchRequest, SearchResponse};
use clap::{Args, ValueEnum};

use crate::ExitStatus;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Ranked hits with their best section and a highlighted snippet.
    Text,
    /// The same JSON as the HTTP API's search.
    Json,
}

/// Search the catalog for a symptom, an error message or a topic
///
/// Words are matched with stemming, typo tolerance (not for short words or numbers) and
/// synonyms from catalog.toml; the last word also matches as a prefix. `"quoted phrases"` must
/// appear as written; `-word` excludes problems that contain it. Filters repeat (OR) and
/// combine across fields (AND). The index is brought up to date first when articles changed.
///
/// Examples:
///   catalog search deadlock retry storm
///   catalog search '"connection reset" -kafka' --category availability
///   catalog search --limit 3 -- retry storm -kafka
///   kubectl logs pod | tail -1 | catalog search -
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct SearchArgs {
    /// The query: words, `"phrases"`, `-excluded` words (quote the query or put them after
    /// `--`); `-` reads it from standard input.
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    query: Vec<String>,
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
    let generation = crate::cmd::index::current(&config, &crate::root::data_dir(&root, data))?;
    let runtime = crate::root::runtime()?;
    let engine = runtime
        .block_on(SearchEngine::open(&generation, &config))
        .context("cannot open the current generation")?;
    let q = if args.query == ["-"] {
        let mut text = String::new();
        std::io::stdin()
            .take(MAX_STDIN)
            .read_to_string(&mut text)
            .context("cannot read the query from standard input")?;
        text
    } else {
        args.query.join(" ")
    };
    let request = SearchRequest {
        q,
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
        ..SearchRequest::default()
    };
    if let Some((filter, value, known)) = engine.unknown_filter(&request.filters) {
        bail!(
            "no problem has {filter} `{value}`; {}",
            known_values(&value, &known)
        );
    }
    let response = engine.search(&request)?;
    let out = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&response)?),
        Format::Text => text(&response, &request.filters, crate::color_stdout()),
    };
    crate::emit(&out)?;
    Ok(ExitStatus::Success)
}

/// The most a query read from standard input may hold.
const MAX_STDIN: u64 = 1 << 20;
/// A filter with more values than this lists only the nearest to what was typed.
const LISTED_VALUES: usize = 20;

/// The values a filter has, or those nearest to `value` when there are many.
fn known_values(value: &str, known: &[String]) -> String {
    if known.is_empty() {
        return "no problem has any".to_string();
    }
    if known.len() <= LISTED_VALUES {
        return format!("known: {}", known.join(", "));
    }
    let mut nearest: Vec<(usize, &String)> = known
        .iter()
        .map(|known| (strsim::levenshtein(value, known), known))
        .collect();
    nearest.sort();
    let nearest: Vec<&str> = nearest
        .iter()
        .take(LISTED_VALUES / 2)
        .map(|(_, known)| known.as_str())
        .collect();
    format!("nearest of {} known: {}", known.len(), nearest.join(", "))
}

fn text(response: &SearchResponse, filters: &Filters, color: bool) -> String {
    let mut out = String::new();
    if response.hits.is_empty() {
        let named: Vec<String> = [
            ("category", &filters.category),
            ("domain", &filters.domain),
            ("industry", &filters.industry),
            ("difficulty", &filters.difficulty),
            ("tag", &filters.tag),
            ("company", &filters.company),
        ]
        .iter()
        .filter(|(_, values)| !values.is_empty())
        .map(|(name, values)| format!("{name}={}", values.join("|")))
        .collect();
        if named.is_empty() {
            outln!(out, "No problem matches `{}`.", response.query.trim());
        } else {
            outln!(
                out,
                "No problem matches `{}` with {}.",
                response.query.trim(),
                named.join(", ")
            );
        }
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
