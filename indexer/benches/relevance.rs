//! Relevance of search over two corpora, against two plain BM25 baselines in the same run.
//!
//! ```text
//! cargo bench -p catalog-indexer --bench relevance -- [--verbose] [--site DIR [SITE.tsv]]
//!     [--set KNOB=VALUE]... [--tune] [QUERIES.tsv]
//! ```
//!
//! - The bundled catalog with `../shared/relevance/dev-queries.tsv` (or `QUERIES.tsv`).
//! - With `--site DIR`: a foreign docs site (the real-site dev set is over
//!   github:gauravprwl14/system-design-course, folder `docs-site/content`), copied to a
//!   temporary folder, adopted with `catalog init` (inferred catalog.toml) and indexed, with
//!   `../shared/relevance/real-site-dev-queries.tsv` (or `SITE.tsv`).
//!
//! Query files: query, TAB, expected id or id suffix, alternatives separated by `|`. For each
//! corpus it prints MRR@10 and recall@1/3/10 for catalog search; for plain Tantivy (one
//! document per article, default `QueryParser`, BM25, `en_stem`, boosts title 3, tags 2,
//! description 2, body 1); and for SQLite FTS5 `bm25()` (porter, OR of the query's words).
//! `--verbose` prints each query's rank under each engine side by side. `--set` overrides a
//! knob of `[search.ranking]`; `--tune` fits the knobs by coordinate ascent on the mean MRR@10
//! of every corpus given, and prints them as a `[search.ranking]` table.

use std::path::{Path, PathBuf};

// The integration tests' helpers: the bench indexes a catalog folder as they do.
#[path = "../tests/common/mod.rs"]
mod common;

use catalog_indexer::infer::{infer_folder, to_toml};
use catalog_indexer::model::ProblemRecord;
use catalog_indexer::search::{Ranking, SearchEngine, SearchRequest};
use catalog_indexer::tree::Tree;
use sqlx::sqlite::SqlitePoolOptions;

struct Query {
    text: String,
    expected: Vec<String>,
}

#[derive(Default)]
struct Scores {
    ranks: Vec<Option<usize>>,
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
        self.ranks.push(rank);
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

/// Plain Tantivy over the same articles: what a new user gets from the library's defaults.
struct PlainTantivy {
    index: tantivy::Index,
    reader: tantivy::IndexReader,
    id: tantivy::schema::Field,
    parser: tantivy::query::QueryParser,
}

impl PlainTantivy {
    fn build(records: &[&ProblemRecord]) -> PlainTantivy {
        use tantivy::schema::{STORED, STRING, Schema, TEXT};
        let mut builder = Schema::builder();
        let text = TEXT.set_indexing_options(
            tantivy::schema::TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(tantivy::schema::IndexRecordOption::WithFreqsAndPositions),
        );
        let id = builder.add_text_field("id", STRING | STORED);
        let title = builder.add_text_field("title", text.clone());
        let tags = builder.add_text_field("tags", text.clone());
        let description = builder.add_text_field("description", text.clone());
        let body = builder.add_text_field("body", text);
        let index = tantivy::Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index.writer(64 << 20).expect("writer");
        for record in records {
            let mut doc = tantivy::TantivyDocument::default();
            doc.add_text(id, &record.id);
            doc.add_text(title, &record.title);
            doc.add_text(tags, record.tags.join(" "));
            doc.add_text(description, record.summary.clone().unwrap_or_default());
            let sections: Vec<&str> = record.sections.iter().map(|s| s.text.as_str()).collect();
            doc.add_text(body, sections.join("\n"));
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let reader = index.reader().expect("reader");
        let mut parser =
            tantivy::query::QueryParser::for_index(&index, vec![title, tags, description, body]);
        parser.set_field_boost(title, 3.0);
        parser.set_field_boost(tags, 2.0);
        parser.set_field_boost(description, 2.0);
        PlainTantivy {
            index,
            reader,
            id,
            parser,
        }
    }

    fn search(&self, text: &str) -> Vec<String> {
        use tantivy::schema::Value;
        let _ = &self.index;
        let (query, _) = self.parser.parse_query_lenient(text);
        let searcher = self.reader.searcher();
        searcher
            .search(
                &query,
                &tantivy::collector::TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(_, address)| {
                let doc: tantivy::TantivyDocument = searcher.doc(address).ok()?;
                doc.get_first(self.id)
                    .and_then(|value| value.as_str())
                    .map(str::to_string)
            })
            .collect()
    }
}

/// One corpus, indexed and open under every engine compared.
struct Corpus {
    name: String,
    queries_path: PathBuf,
    queries: Vec<Query>,
    records: usize,
    engine: SearchEngine,
    plain: PlainTantivy,
    pool: sqlx::SqlitePool,
    _data: tempfile::TempDir,
}

/// Indexes one corpus under every engine.
async fn prepare(name: &str, root: &Path, queries_path: &Path) -> Corpus {
    let queries = load_queries(queries_path);
    let (config, summary, data) = common::index_catalog(root).await;
    let engine = SearchEngine::open(&summary.generation, &config)
        .await
        .expect("open");

    let tree = Tree::load(config.clone()).expect("tree");
    let records: Vec<&ProblemRecord> = tree
        .records
        .iter()
        .flatten()
        .map(|record| &**record)
        .collect();
    let plain = PlainTantivy::build(&records);
    // Baseline: one FTS5 row per problem with the same text.
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await
        .expect("in-memory SQLite");
    sqlx::query("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, summary, symptoms, tags, body, tokenize = 'porter')")
        .execute(&pool)
        .await
        .expect("FTS5 is available");
    for record in &records {
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
    Corpus {
        name: name.to_string(),
        queries_path: queries_path.to_path_buf(),
        queries,
        records: records.len(),
        engine,
        plain,
        pool,
        _data: data,
    }
}

/// Catalog search over a corpus's queries.
fn ours(corpus: &Corpus) -> Scores {
    let mut scores = Scores::default();
    for query in &corpus.queries {
        let response = corpus
            .engine
            .search(&SearchRequest {
                q: query.text.clone(),
                limit: 10,
                ..SearchRequest::default()
            })
            .expect("search");
        let ranked: Vec<String> = response.hits.iter().map(|hit| hit.id.clone()).collect();
        scores.add(query, &ranked);
    }
    scores
}

fn mrr(scores: &Scores, corpus: &Corpus) -> f64 {
    scores.reciprocal / corpus.queries.len().max(1) as f64
}

/// Prints one corpus's table.
async fn report(corpus: &Corpus, verbose: bool) {
    let ours = ours(corpus);
    let mut tantivy_plain = Scores::default();
    let mut fts = Scores::default();
    for query in &corpus.queries {
        tantivy_plain.add(query, &corpus.plain.search(&query.text));
        let ranked: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10",
        )
        .bind(fts_query(&query.text))
        .fetch_all(&corpus.pool)
        .await
        .unwrap_or_default();
        fts.add(query, &ranked);
    }
    let queries = &corpus.queries;
    println!(
        "## {}: {} records, {} queries from {}\n",
        corpus.name,
        corpus.records,
        queries.len(),
        corpus.queries_path.display()
    );
    println!(
        "{:<22} {:>7} {:>9} {:>9} {:>10}",
        "", "MRR@10", "recall@1", "recall@3", "recall@10"
    );
    println!("{}", ours.row("catalog search", queries.len()));
    println!("{}", tantivy_plain.row("plain Tantivy", queries.len()));
    println!("{}", fts.row("FTS5 bm25()", queries.len()));
    if verbose {
        let shown = |rank: Option<usize>| rank.map_or("-".to_string(), |r| (r + 1).to_string());
        println!("\n{:>7} {:>7} {:>5}  query", "catalog", "tantivy", "fts5");
        for (i, query) in queries.iter().enumerate() {
            println!(
                "{:>7} {:>7} {:>5}  {}",
                shown(ours.ranks[i]),
                shown(tantivy_plain.ranks[i]),
                shown(fts.ranks[i]),
                query.text
            );
        }
    } else {
        println!("\ncatalog search, expected problem not in the top 3:");
        for miss in &ours.misses {
            println!("  {miss}");
        }
    }
    println!();
}

/// The mean MRR@10 of every corpus under `ranking`.
fn objective(corpora: &mut [Corpus], ranking: &Ranking) -> f64 {
    let mut sum = 0.0;
    for corpus in corpora.iter_mut() {
        corpus.engine.set_ranking(ranking.clone());
        let scores = ours(corpus);
        sum += mrr(&scores, corpus);
    }
    sum / corpora.len().max(1) as f64
}

/// Coordinate ascent over every knob, on all corpora together: each knob in turn is scaled by
/// a few factors and the best value kept when it gains at least `MIN_GAIN`; two rounds.
fn tune(corpora: &mut [Corpus], start: Ranking) -> Ranking {
    const MIN_GAIN: f64 = 0.003;
    const FACTORS: [f32; 7] = [0.0, 0.25, 0.5, 0.75, 1.5, 2.0, 3.0];
    let mut best = start;
    let mut best_score = objective(corpora, &best);
    println!("tuning from mean MRR@10 {best_score:.4}");
    for round in 1..=2 {
        let mut changed = false;
        for knob in Ranking::KNOBS {
            let current = best.get(knob).unwrap_or(0.0);
            let candidates: Vec<f32> = if current == 0.0 {
                vec![0.1, 0.25, 0.5, 1.0]
            } else {
                FACTORS.iter().map(|factor| current * factor).collect()
            };
            for value in candidates {
                let mut trial = best.clone();
                if !trial.set(knob, value) || trial == best {
                    continue;
                }
                let score = objective(corpora, &trial);
                if score > best_score + MIN_GAIN {
                    println!("  round {round}: {knob} {current} -> {value}: {score:.4}");
                    best = trial;
                    best_score = score;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    println!("tuned mean MRR@10 {best_score:.4}\n[search.ranking]");
    for knob in Ranking::KNOBS {
        println!("{knob} = {}", best.get(knob).unwrap_or(0.0));
    }
    println!();
    best
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../../shared/relevance");
    let mut args = std::env::args().skip(1).peekable();
    let mut verbose = false;
    let mut tuning = false;
    let mut ranking = Ranking::default();
    let mut site: Option<(PathBuf, PathBuf)> = None;
    let mut bundled_queries = shared.join("dev-queries.tsv");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--verbose" | "-v" => verbose = true,
            "--tune" => tuning = true,
            "--set" => {
                let pair = args.next().expect("--set KNOB=VALUE");
                let (knob, value) = pair.split_once('=').expect("--set KNOB=VALUE");
                let value: f32 = value.parse().expect("a number");
                assert!(ranking.set(knob, value), "no knob {knob}, or a bad value");
            }
            "--site" => {
                let dir = PathBuf::from(args.next().expect("--site DIR"));
                let queries = match args.peek() {
                    Some(next) if next.ends_with(".tsv") => {
                        PathBuf::from(args.next().unwrap_or_default())
                    }
                    _ => shared.join("real-site-dev-queries.tsv"),
                };
                site = Some((dir, queries));
            }
            "--bench" => {}
            other if other.ends_with(".tsv") => bundled_queries = PathBuf::from(other),
            _ => {}
        }
    }
    let mut corpora = vec![
        prepare(
            "bundled catalog",
            &manifest.join("../catalog"),
            &bundled_queries,
        )
        .await,
    ];
    // Kept until the end: the site's copy is the corpus's catalog folder.
    let copy = tempfile::tempdir().expect("temporary site copy");
    if let Some((dir, queries)) = site {
        // Adopted as a new user would: a copy, `catalog init`, then index.
        copy_dir(&dir, copy.path());
        let inference = infer_folder(copy.path()).expect("catalog init");
        std::fs::write(copy.path().join("catalog.toml"), to_toml(&inference))
            .expect("write catalog.toml");
        corpora.push(prepare("real site", copy.path(), &queries).await);
    }
    if tuning {
        ranking = tune(&mut corpora, ranking);
    }
    for corpus in &mut corpora {
        corpus.engine.set_ranking(ranking.clone());
    }
    for corpus in &corpora {
        report(corpus, verbose).await;
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            if entry.file_name() != ".catalog" && entry.file_name() != ".git" {
                copy_dir(&entry.path(), &target);
            }
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
