//! In-process search latency over an indexed catalog.
//!
//! `cargo bench -p catalog-indexer --bench search_latency -- CATALOG_DIR DATA_DIR [ROUNDS]
//! [QUERY...]` opens the current generation of DATA_DIR (index it first with `catalog index`),
//! runs every query of `../shared/relevance/dev-queries.tsv` (or the QUERY arguments) ROUNDS
//! times (default 20) after one warm-up round, and prints p50, p99 and max latency, the peak
//! resident memory of the process, and the slowest queries by their median.
//!
//! In the same run it times a plain Tantivy search of the same queries on the same index:
//! `QueryParser` over the problem documents' fields (boosts title 3, tags 2, summary 2),
//! `TopDocs` for 10 hits and a `SnippetGenerator` snippet of each hit's summary.
//!
//! After each search it also times a fixed piece of work (a loop of about 2 ms, no memory,
//! no threads), and prints that loop's p50 and p99: how much the machine alone stretches
//! the tail of a constant workload in the same run. On a shared machine a search's p99 can
//! only be read beside it.
//!
//! `scripts/search-instructions.sh` runs it under Callgrind to count the instructions of each
//! search, which a busy machine does not change.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, Searcher, TantivyDocument};

use catalog_indexer::config::Config;
use catalog_indexer::search::{SearchEngine, SearchRequest};
use catalog_indexer::store::DataDir;

/// Queries listed by their median latency after the summary.
const SLOWEST: usize = 5;
/// Steps of the reference loop: about 2 ms on the machines we measure on.
const REFERENCE_STEPS: u64 = 1_000_000;

/// The reference work: a chain of dependent multiplications the compiler can't shorten.
fn reference_work() -> u64 {
    let mut x: u64 = std::hint::black_box(0x9e37_79b9_7f4a_7c15);
    for _ in 0..REFERENCE_STEPS {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        x ^= x >> 29;
    }
    std::hint::black_box(x)
}

/// The value at quantile `q` of sorted `samples`.
fn quantile(samples: &[f64], q: f64) -> f64 {
    samples[((samples.len() as f64 - 1.0) * q).round() as usize]
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// A plain Tantivy search: default query parser, BM25, top 10, a snippet per hit.
fn plain_search(index: &Index, searcher: &Searcher, parser: &QueryParser, q: &str) -> usize {
    let (query, _) = parser.parse_query_lenient(q);
    let top = searcher
        .search(&query, &TopDocs::with_limit(10).order_by_score())
        .expect("plain search");
    let summary = index.schema().get_field("summary").expect("summary field");
    let snippets = SnippetGenerator::create(searcher, &*query, summary).expect("snippets");
    let mut length = 0;
    for (_, address) in top {
        let doc: TantivyDocument = searcher.doc(address).expect("stored document");
        length += snippets.snippet_from_doc(&doc).to_html().len();
    }
    length
}

fn summary_line(name: &str, samples: &mut [f64]) -> String {
    samples.sort_by(f64::total_cmp);
    format!(
        "{name}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        quantile(samples, 0.5),
        quantile(samples, 0.99),
        quantile(samples, 1.0),
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg != "--bench")
        .collect();
    let (Some(catalog), Some(data)) = (args.first(), args.get(1)) else {
        eprintln!("usage: search_latency CATALOG_DIR DATA_DIR [ROUNDS] [QUERY...]");
        std::process::exit(2);
    };
    let rounds: usize = args
        .get(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20)
        .max(1);
    let queries: Vec<String> = if args.len() > 3 {
        args[3..].to_vec()
    } else {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/relevance/dev-queries.tsv");
        std::fs::read_to_string(&path)
            .expect("dev queries")
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .filter_map(|line| line.split_once('\t').map(|(q, _)| q.to_string()))
            .collect()
    };
    let config = Config::load(&PathBuf::from(catalog)).expect("catalog.toml");
    let generation = DataDir::new(data).current().expect("an indexed generation");
    let engine = SearchEngine::open(&generation, &config)
        .await
        .expect("open");
    let (tantivy_index, searcher) = engine.tantivy();
    let schema = tantivy_index.schema();
    let field = |name: &str| schema.get_field(name).expect("field");
    let mut parser = QueryParser::for_index(
        tantivy_index,
        ["title", "symptoms", "tags", "summary", "headings", "body"]
            .iter()
            .map(|name| field(name))
            .collect(),
    );
    parser.set_field_boost(field("title"), 3.0);
    parser.set_field_boost(field("tags"), 2.0);
    parser.set_field_boost(field("summary"), 2.0);
    let mut plain = Vec::with_capacity(queries.len() * rounds);
    let mut samples = Vec::with_capacity(queries.len() * rounds);
    let mut reference = Vec::with_capacity(queries.len() * rounds);
    let mut per_query: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); queries.len()];
    for round in 0..=rounds {
        for (index, query) in queries.iter().enumerate() {
            let request = SearchRequest {
                q: query.clone(),
                limit: 10,
                ..SearchRequest::default()
            };
            let started = Instant::now();
            let response = engine.search(&request).expect("search");
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(response);
            let started = Instant::now();
            std::hint::black_box(plain_search(tantivy_index, &searcher, &parser, query));
            let plain_elapsed = started.elapsed().as_secs_f64() * 1000.0;
            let started = Instant::now();
            reference_work();
            let reference_elapsed = started.elapsed().as_secs_f64() * 1000.0;
            if round > 0 {
                samples.push(elapsed);
                plain.push(plain_elapsed);
                per_query[index].push(elapsed);
                reference.push(reference_elapsed);
            }
        }
    }
    samples.sort_by(f64::total_cmp);
    reference.sort_by(f64::total_cmp);
    println!(
        "{} problems, {} searches: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, peak RSS {} MiB",
        engine.len(),
        samples.len(),
        quantile(&samples, 0.5),
        quantile(&samples, 0.99),
        quantile(&samples, 1.0),
        peak_rss_kib().map_or(0, |kib| kib / 1024)
    );
    println!(
        "{}",
        summary_line(
            "plain Tantivy (QueryParser, TopDocs, SnippetGenerator)",
            &mut plain
        )
    );
    let (plain_p50, plain_p99) = (quantile(&plain, 0.5), quantile(&plain, 0.99));
    println!(
        "catalog / plain Tantivy: p50 {:.2}x, p99 {:.2}x",
        quantile(&samples, 0.5) / plain_p50,
        quantile(&samples, 0.99) / plain_p99,
    );
    println!(
        "reference loop between searches: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        quantile(&reference, 0.5),
        quantile(&reference, 0.99),
        quantile(&reference, 1.0),
    );
    // The queries that cost most, by their own median: where to look first.
    let mut medians: Vec<(f64, &String)> = per_query
        .iter_mut()
        .zip(&queries)
        .map(|(times, query)| {
            times.sort_by(f64::total_cmp);
            (times[times.len() / 2], query)
        })
        .collect();
    medians.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("slowest by median:");
    for (median, query) in medians.iter().take(SLOWEST) {
        println!("  {median:>7.2} ms  {query}");
    }
}
