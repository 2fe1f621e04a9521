//! Relevance of search over the bundled catalog, against a plain BM25 baseline.
//!
//! `cargo bench -p catalog-indexer --bench relevance [-- QUERIES.tsv]` indexes `catalog/`
//! into a temporary data folder, runs every query of `../shared/relevance/dev-queries.tsv`
//! (query, TAB, expected id or id suffix, alternatives separated by `|`), and prints MRR@10
//! and recall@1/3/10 for catalog search and for SQLite FTS5 `bm25()` over the same text
//! (title, summary, symptoms, tags and body in one column set, OR of the query's words).

use std::path::{Path, PathBuf};

use catalog_indexer::config::Config;
use catalog_indexer::ingest::{IndexOptions, index};
use catalog_indexer::search::{SearchEngine, SearchRequest};
use catalog_indexer::tree::Tree;
use sqlx::sqlite::SqlitePoolOptions;

struct Query {
    text: String,
    expected: Vec<String>,
}

#[derive(Default)]
struct Scores {
    reciprocal: f64,
    at1: usize,
    at3: usize,
    at10: usize,
    misses: Vec<String>,
}

impl Scores {
    fn add(&mut self, query: &Query, ranked: &[String]) {
        let rank = ranked.iter().take(10).position(|id| {
            query
                .expected
                .iter()
                .any(|want| id == want || id.ends_with(&format!("/{want}")))
        });
        match rank {
            Some(rank) => {
                self.reciprocal += 1.0 / (rank as f64 + 1.0);
                self.at1 += usize::from(rank < 1);
                self.at3 += usize::from(rank < 3);
                self.at10 += 1;
                if rank >= 3 {
                    self.misses.push(format!("#{} {}", rank + 1, query.text));
                }
            }
            None => self.misses.push(format!("--  {}", query.text)),
        }
    }

    fn row(&self, name: &str, n: usize) -> String {
        let n = n as f64;
        format!(
            "{name:<22} {:>7.3} {:>9.3} {:>9.3} {:>10.3}",
            self.reciprocal / n,
            self.at1 as f64 / n,
            self.at3 as f64 / n,
            self.at10 as f64 / n
        )
    }
}

fn load_queries(path: &Path) -> Vec<Query> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .map(|(query, expected)| Query {
            text: query.trim().to_string(),
            expected: expected.trim().split('|').map(str::to_string).collect(),
        })
        .collect()
}

fn fts_query(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| format!("\"{}\"", word.to_lowercase()))
        .collect::<Vec<_>>()
        .join(" OR ")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let queries_path = std::env::args()
        .skip(1)
        .find(|arg| arg.ends_with(".tsv"))
        .map_or_else(
            || manifest.join("../../shared/relevance/dev-queries.tsv"),
            PathBuf::from,
        );
    let queries = load_queries(&queries_path);
    let root = manifest.join("../catalog");
    let config = Config::load(&root).expect("bundled catalog.toml");
    let data = tempfile::tempdir().expect("temporary data folder");
    let options = IndexOptions {
        data_dir: data.path().to_path_buf(),
        ..IndexOptions::default()
    };
    let summary = index(config.clone(), &options, &|_, _| {})
        .await
        .expect("index");
    let engine = SearchEngine::open(&summary.generation, &config)
        .await
        .expect("open");

    // Baseline: one FTS5 row per problem with the same text.
    let tree = Tree::load(config.clone()).expect("tree");
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("in-memory SQLite");
    sqlx::query("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, summary, symptoms, tags, body, tokenize = 'porter')")
        .execute(&pool)
        .await
        .expect("FTS5 is available");
    for record in tree.records.iter().flatten() {
        let body: Vec<&str> = record.sections.iter().map(|s| s.text.as_str()).collect();
        sqlx::query(
            "INSERT INTO docs (id, title, summary, symptoms, tags, body) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&record.id)
        .bind(&record.title)
        .bind(record.summary.clone().unwrap_or_default())
        .bind(record.symptoms.join("\n"))
        .bind(record.tags.join(" "))
        .bind(body.join("\n"))
        .execute(&pool)
        .await
        .expect("insert");
    }

    let mut ours = Scores::default();
    let mut baseline = Scores::default();
    for query in &queries {
        let response = engine
            .search(&SearchRequest {
                q: query.text.clone(),
                limit: 10,
                ..SearchRequest::default()
            })
            .expect("search");
        let ranked: Vec<String> = response.hits.iter().map(|hit| hit.id.clone()).collect();
        ours.add(query, &ranked);
        let ranked: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10",
        )
        .bind(fts_query(&query.text))
        .fetch_all(&pool)
        .await
        .unwrap_or_default();
        baseline.add(query, &ranked);
    }
    println!(
        "{} queries from {}\n",
        queries.len(),
        queries_path.display()
    );
    println!(
        "{:<22} {:>7} {:>9} {:>9} {:>10}",
        "", "MRR@10", "recall@1", "recall@3", "recall@10"
    );
    println!("{}", ours.row("catalog search", queries.len()));
    println!("{}", baseline.row("FTS5 bm25() baseline", queries.len()));
    println!("\ncatalog search, expected problem not in the top 3:");
    for miss in &ours.misses {
        println!("  {miss}");
    }
}
