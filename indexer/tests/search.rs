//! Index and search over a temporary copy of the bundled catalog: generation switches,
//! incremental re-indexing, the query language, facets, anchors and hostile queries.

use std::collections::BTreeMap;
use std::path::Path;

use catalog_indexer::config::Config;
use catalog_indexer::ingest::{IndexOptions, IndexSummary, index};
use catalog_indexer::search::{Filters, SearchEngine, SearchRequest, SearchResponse};
use catalog_indexer::store::{
    DataDir, Lookup, MAX_SHARDS, load_problem, open_generation, shard_names,
};
use catalog_indexer::tree::Tree;
use tempfile::TempDir;

struct Fixture {
    catalog: TempDir,
    data: TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let catalog = tempfile::tempdir().expect("tempdir");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog"),
            catalog.path(),
        );
        Fixture {
            catalog,
            data: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn config(&self) -> Config {
        Config::load(self.catalog.path()).expect("config")
    }

    fn options(&self) -> IndexOptions {
        IndexOptions {
            data_dir: self.data.path().to_path_buf(),
            ..IndexOptions::default()
        }
    }

    async fn index(&self) -> IndexSummary {
        index(self.config(), &self.options(), &|_, _| {})
            .await
            .expect("index")
    }

    /// The catalog indexed in full into a data directory of its own, kept while it is held.
    async fn index_from_scratch(&self) -> (tempfile::TempDir, IndexSummary) {
        let data = tempfile::tempdir().expect("tempdir");
        let options = IndexOptions {
            data_dir: data.path().to_path_buf(),
            full: true,
            ..IndexOptions::default()
        };
        let summary = index(self.config(), &options, &|_, _| {})
            .await
            .expect("index");
        (data, summary)
    }

    async fn engine(&self) -> SearchEngine {
        let generation = DataDir::new(self.data.path())
            .current()
            .expect("a current generation");
        SearchEngine::open(&generation, &self.config())
            .await
            .expect("open")
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.catalog.path().join(rel)
    }

    /// Appends a line to the first `files` articles and re-indexes, `rounds` times; each run
    /// must be incremental.
    async fn revise(&self, rounds: usize, files: usize) {
        for round in 0..rounds {
            for entry in walk(self.catalog.path()).iter().take(files) {
                let text = std::fs::read_to_string(entry).expect("read");
                std::fs::write(entry, format!("{text}\nRevision {round}.\n")).expect("write");
            }
            assert!(self.index().await.incremental);
        }
    }

    /// The catalog as it is now, indexed in full into a folder of its own, and opened.
    async fn rebuilt_engine(&self) -> (tempfile::TempDir, SearchEngine) {
        let (data, full) = self.index_from_scratch().await;
        let engine = SearchEngine::open(&full.generation, &self.config())
            .await
            .expect("open");
        (data, engine)
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        if entry.file_name() == ".catalog" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn search(engine: &SearchEngine, q: &str) -> SearchResponse {
    engine
        .search(&SearchRequest {
            q: q.to_string(),
            limit: 10,
            ..SearchRequest::default()
        })
        .expect("search never fails on query text")
}

/// The hits of a search with their scores, to four decimals.
fn scored(engine: &SearchEngine, q: &str) -> Vec<(String, f64)> {
    search(engine, q)
        .hits
        .iter()
        .map(|hit| (hit.id.clone(), (f64::from(hit.score) * 1e4).round()))
        .collect()
}

fn ids(response: &SearchResponse) -> Vec<&str> {
    response.hits.iter().map(|hit| hit.id.as_str()).collect()
}

#[tokio::test]
async fn a_failed_run_leaves_the_previous_generation_current_and_complete() {
    let fixture = Fixture::new();
    let first = fixture.index().await;
    std::fs::remove_file(fixture.path("availability/retry-storm.md")).expect("rm");
    let failing = IndexOptions {
        fail_before_switch: true,
        ..fixture.options()
    };
    assert!(index(fixture.config(), &failing, &|_, _| {}).await.is_err());
    let data = DataDir::new(fixture.data.path());
    assert_eq!(data.current(), Some(first.generation.clone()));
    let engine = fixture.engine().await;
    assert_eq!(
        engine.len(),
        44,
        "the old generation still has every record"
    );
    assert!(ids(&search(&engine, "retry storm")).contains(&"availability/retry-storm"));
    // The next successful run switches, and prunes the unfinished generation.
    let second = fixture.index().await;
    assert_ne!(second.generation, first.generation);
    assert_eq!(fixture.engine().await.len(), 43);
}

#[tokio::test]
async fn re_indexing_parses_only_changed_files_and_follows_deletes_and_renames() {
    let fixture = Fixture::new();
    let first = fixture.index().await;
    assert!(!first.incremental);
    assert_eq!((first.parsed, first.records), (44, 44));

    let unchanged = fixture.index().await;
    assert!(unchanged.incremental);
    assert_eq!(
        (unchanged.parsed, unchanged.removed, unchanged.records),
        (0, 0, 44)
    );

    let edited = fixture.path("performance/memory-leak.md");
    let text = std::fs::read_to_string(&edited).expect("read");
    std::fs::write(
        &edited,
        text.replacen(
            "## The Scenario\n",
            "## The Scenario\n\nZanzibarquux marker.\n",
            1,
        ),
    )
    .expect("write");
    std::fs::remove_file(fixture.path("cost-optimization/cdn-costs.md")).expect("rm");
    std::fs::rename(
        fixture.path("scalability/cdn-limits.md"),
        fixture.path("scalability/edge-limits.md"),
    )
    .expect("mv");

    let second = fixture.index().await;
    assert!(second.incremental);
    assert_eq!(second.parsed, 2, "the edited file and the renamed one");
    assert_eq!(second.removed, 2, "the deleted file and the old name");
    assert_eq!(second.records, 43);

    let engine = fixture.engine().await;
    assert_eq!(
        ids(&search(&engine, "zanzibarquux")),
        ["performance/memory-leak"]
    );
    let all = search(&engine, "cdn");
    assert!(!ids(&all).contains(&"cost-optimization/cdn-costs"));
    assert!(!ids(&all).contains(&"scalability/cdn-limits"));
    assert!(ids(&all).contains(&"scalability/edge-limits"));
    let pool = open_generation(&engine.generation).await.expect("db");
    assert_eq!(
        load_problem(&pool, "cost-optimization/cdn-costs")
            .await
            .expect("query"),
        Lookup::Missing
    );
    assert!(matches!(
        load_problem(&pool, "edge-limits").await.expect("query"),
        Lookup::Found(_)
    ));
}

#[tokio::test]
async fn scores_stay_numbers_after_files_are_re_indexed() {
    // Re-indexing keeps the replaced documents until their segment is merged, so a common word
    // can appear in more documents than there are problems. Its worth toward coverage must not
    // turn negative: a negative coverage raised to a fractional power is not a number.
    let fixture = Fixture::new();
    fixture.index().await;
    fixture.revise(3, 20).await;
    let engine = fixture.engine().await;
    for q in [
        "two on-call engineers went off call at the same time and nobody was on call each transaction checked that someone else was still on call",
        "the data goes wrong when concurrent requests touch the same item",
        "it is at the and of the",
    ] {
        let response = search(&engine, q);
        assert!(!response.hits.is_empty(), "{q}");
        for hit in &response.hits {
            assert!(
                hit.score.is_finite(),
                "{q}: {} scored {}",
                hit.id,
                hit.score
            );
        }
    }
}

#[tokio::test]
async fn an_incremental_run_scores_as_a_full_rebuild_does() {
    // Replaced documents stay in their segments until a merge, and a merge of segments with
    // deletions only estimates their token counts: read from the segments, BM25's statistics
    // would rank the same catalog differently after a few edits than indexed afresh.
    let fixture = Fixture::new();
    fixture.index().await;
    fixture.revise(2, 12).await;
    let incremental = fixture.engine().await;
    let (_rebuilt, rebuilt) = fixture.rebuilt_engine().await;
    for q in [
        "connection pool exhausted under load",
        "two nodes both think they are primary",
        "OutOfDirectMemoryError failed to allocate direct memory",
        "the same order was charged twice",
    ] {
        assert_eq!(scored(&incremental, q), scored(&rebuilt, q), "{q}");
    }
}

#[tokio::test]
async fn a_word_only_deleted_documents_hold_is_read_as_a_typo() {
    // Re-indexing an edited article leaves its old document in a segment until a merge. A
    // word only that document held is no longer a word of the site: searched, it is a typo
    // of the word that replaced it, as it is after a full rebuild.
    let fixture = Fixture::new();
    let edited = fixture.path("availability/thundering-herd.md");
    let text = std::fs::read_to_string(&edited).expect("read");
    std::fs::write(&edited, format!("{text}\nThe quokkafication of caches.\n")).expect("write");
    fixture.index().await;
    std::fs::write(&edited, format!("{text}\nThe quokkafixation of caches.\n")).expect("write");
    assert!(fixture.index().await.incremental);
    let incremental = fixture.engine().await;
    assert_eq!(
        ids(&search(&incremental, "quokkafication")),
        ["availability/thundering-herd"],
        "the old word is read as a typo of the new one"
    );
    let (_rebuilt, rebuilt) = fixture.rebuilt_engine().await;
    assert_eq!(
        scored(&incremental, "quokkafication"),
        scored(&rebuilt, "quokkafication")
    );
}

#[tokio::test]
async fn stored_statistics_are_read_only_for_the_segments_they_were_counted_on() {
    // An index run counts the statistics once and stores them beside the index; opening reads
    // them. Counts stored for other segments (an earlier run's), or a damaged file, are not
    // read: the engine counts again and ranks as a full rebuild.
    let fixture = Fixture::new();
    fixture.index().await;
    let current = || {
        DataDir::new(fixture.data.path())
            .current()
            .expect("generation")
    };
    let first = std::fs::read(current().search_stats_path()).expect("the run stored its counts");
    fixture.revise(2, 12).await;
    let stored = fixture.engine().await;
    let (_rebuilt, rebuilt) = fixture.rebuilt_engine().await;
    let queries = [
        "connection pool exhausted under load",
        "two nodes both think they are primary",
        "the same order was charged twice",
    ];
    for q in queries {
        assert_eq!(scored(&stored, q), scored(&rebuilt, q), "stored: {q}");
    }
    let path = current().search_stats_path();
    let latest = std::fs::read(&path).expect("read");
    assert_ne!(first, latest, "the edits changed the counts");
    for (what, bytes) in [
        ("stale", first.clone()),
        ("cut", latest[..latest.len() / 2].to_vec()),
    ] {
        std::fs::write(&path, &bytes).expect("write");
        let engine = fixture.engine().await;
        for q in queries {
            assert_eq!(scored(&engine, q), scored(&rebuilt, q), "{what}: {q}");
        }
    }
    std::fs::remove_file(&path).expect("remove");
    let engine = fixture.engine().await;
    for q in queries {
        assert_eq!(scored(&engine, q), scored(&rebuilt, q), "missing: {q}");
    }
}

/// The Markdown files under a folder.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|ext| ext == "md") {
            out.push(path);
        }
    }
    out
}

#[tokio::test]
async fn typos_prefixes_phrases_exclusions_and_synonyms() {
    let fixture = Fixture::new();
    fixture.index().await;
    let engine = fixture.engine().await;

    let exact = search(&engine, "thundering herd");
    let typo = search(&engine, "thundring herd");
    assert_eq!(typo.hits[0].id, "availability/thundering-herd");
    assert!(
        exact.hits[0].score > typo.hits[0].score,
        "exact matches outrank typo matches"
    );

    assert_eq!(
        search(&engine, "split-bra").hits[0].id,
        "availability/split-brain"
    );

    let phrase = search(&engine, "\"retry budget\"");
    assert!(!phrase.hits.is_empty());
    for hit in &phrase.hits {
        let text = std::fs::read_to_string(fixture.path(&format!("{}.md", hit.id)))
            .expect("read")
            .to_lowercase();
        assert!(text.contains("retry budget"), "{} lacks the phrase", hit.id);
    }

    let with = search(&engine, "cache");
    let without = search(&engine, "cache -stampede");
    assert!(with.total > without.total);
    for hit in &without.hits {
        let text = std::fs::read_to_string(fixture.path(&format!("{}.md", hit.id)))
            .expect("read")
            .to_lowercase();
        assert!(
            !text.contains("stampede"),
            "{} mentions the excluded word",
            hit.id
        );
    }

    // catalog.toml: oom = out of memory = exit code 137.
    let oom = search(&engine, "oom");
    assert!(
        ids(&oom)
            .iter()
            .take(3)
            .any(|id| *id == "performance/memory-leak"),
        "{:?}",
        ids(&oom)
    );
    // Numbers and codes are never fuzzed: `138` does not find the articles that say `137`.
    assert!(search(&engine, "137").total > 0);
    assert_eq!(search(&engine, "138").total, 0);
}

#[tokio::test]
async fn facet_counts_are_disjunctive_within_a_facet_and_conjunctive_across() {
    let fixture = Fixture::new();
    fixture.index().await;
    let engine = fixture.engine().await;
    let tree = Tree::load(fixture.config()).expect("tree");
    let records: Vec<&catalog_indexer::model::ProblemRecord> = tree
        .records
        .iter()
        .flatten()
        .map(|record| &**record)
        .collect();

    let request = SearchRequest {
        q: String::new(),
        filters: Filters {
            category: vec!["concurrency".into(), "availability".into()],
            difficulty: vec!["advanced".into()],
            ..Filters::default()
        },
        limit: 100,
        ..SearchRequest::default()
    };
    let response = engine.search(&request).expect("search");
    let in_categories = |r: &&&catalog_indexer::model::ProblemRecord| {
        matches!(r.category.as_deref(), Some("concurrency" | "availability"))
    };
    let advanced =
        |r: &&&catalog_indexer::model::ProblemRecord| r.difficulty.as_deref() == Some("advanced");
    let expected_total = records
        .iter()
        .filter(in_categories)
        .filter(advanced)
        .count();
    assert_eq!(response.total, expected_total);
    assert_eq!(response.hits.len(), expected_total);

    // The category facet ignores the category filter but keeps the difficulty filter.
    let mut categories: BTreeMap<String, usize> = BTreeMap::new();
    for record in records.iter().filter(advanced) {
        *categories
            .entry(record.category.clone().unwrap_or_default())
            .or_default() += 1;
    }
    assert_eq!(response.facets["category"], categories);
    // The difficulty facet ignores the difficulty filter but keeps the categories.
    let mut difficulties: BTreeMap<String, usize> = BTreeMap::new();
    for record in records.iter().filter(in_categories) {
        *difficulties
            .entry(record.difficulty.clone().unwrap_or_default())
            .or_default() += 1;
    }
    assert_eq!(response.facets["difficulty"], difficulties);
    // Tags count problems that pass both filters.
    let mut tags: BTreeMap<String, usize> = BTreeMap::new();
    for record in records.iter().filter(in_categories).filter(advanced) {
        for tag in &record.tags {
            *tags.entry(tag.clone()).or_default() += 1;
        }
    }
    assert_eq!(response.facets["tag"], tags);
}

#[tokio::test]
async fn hits_name_sections_by_anchors_that_exist() {
    let fixture = Fixture::new();
    fixture.index().await;
    let engine = fixture.engine().await;
    let tree = Tree::load(fixture.config()).expect("tree");
    let response = search(&engine, "how to detect a connection pool that is exhausted");
    assert!(!response.hits.is_empty());
    for hit in &response.hits {
        let index = tree.doc_by_id(&hit.id).expect("a record");
        for section in &hit.sections {
            assert!(
                tree.docs[index].has_anchor(&section.anchor),
                "{}#{}",
                hit.id,
                section.anchor
            );
        }
    }
    assert!(
        response.hits[0]
            .sections
            .iter()
            .any(|s| !s.snippet.is_empty())
    );
}

#[tokio::test]
async fn ids_only_ranks_like_the_full_search_without_snippets() {
    let fixture = Fixture::new();
    fixture.index().await;
    let engine = fixture.engine().await;
    for q in [
        "how to detect a connection pool that is exhausted",
        "HikariPool-1 - Connection is not available, request timed out after 30000ms",
        "cache stampede after a deploy",
    ] {
        let full = search(&engine, q);
        let bare = engine
            .search(&SearchRequest {
                q: q.to_string(),
                limit: 10,
                ids_only: true,
                ..SearchRequest::default()
            })
            .expect("search");
        assert!(!full.hits.is_empty(), "{q}");
        let ranked = |response: &SearchResponse| -> Vec<(String, f32)> {
            response
                .hits
                .iter()
                .map(|hit| (hit.id.clone(), hit.score))
                .collect()
        };
        assert_eq!(ranked(&bare), ranked(&full), "{q}");
        assert_eq!(bare.total, full.total);
        assert!(
            bare.hits
                .iter()
                .all(|hit| hit.snippet.is_empty() && hit.sections.is_empty())
        );
        assert!(full.hits.iter().any(|hit| !hit.snippet.is_empty()));
    }
}

#[tokio::test]
async fn hostile_queries_return_results_or_nothing() {
    let fixture = Fixture::new();
    fixture.index().await;
    let engine = fixture.engine().await;
    let long = "connection pool ".repeat(700);
    for q in [
        "\"unbalanced quote",
        "AND OR NOT",
        "title:retry category:availability",
        "((((",
        "-",
        "- - -",
        "\u{0}\u{1}\u{7f}retry\u{1b}[31m",
        "🔥💥",
        "",
        "   ",
        long.as_str(),
        "*?~^",
    ] {
        let response = engine
            .search(&SearchRequest {
                q: q.to_string(),
                limit: 5,
                ..SearchRequest::default()
            })
            .expect("never an error");
        assert!(response.hits.len() <= 5);
    }
    assert!(
        !search(&engine, "title:retry category:availability")
            .hits
            .is_empty()
    );
}

#[tokio::test]
async fn a_pasted_log_line_with_quotes_finds_its_problem() {
    let fixture = Fixture::new();
    fixture.index().await;
    let engine = fixture.engine().await;
    // PostgreSQL's message when max_connections is reached, as a client prints it.
    let line = "psql: error: connection to server at \"10.0.3.12\", port 5432 failed: FATAL:  sorry, too many clients already";
    let response = search(&engine, line);
    assert!(response.total > 0, "no hits for a pasted log line");
    assert!(
        ids(&response)
            .iter()
            .take(5)
            .any(|id| id.ends_with("connection-pool-starvation") || id.contains("connection")),
        "{:?}",
        ids(&response)
    );
}

#[tokio::test]
async fn a_hit_found_by_a_pasted_message_shows_the_message() {
    let fixture = Fixture::new();
    fixture.index().await;
    let engine = fixture.engine().await;
    // A boto3 line: its article lists SQS's expired-receipt message as a signature.
    let line = "botocore.exceptions.ClientError: An error occurred (InvalidParameterValue) when calling the DeleteMessage operation: Value xxx for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.";
    let response = search(&engine, line);
    let hit = &response.hits[0];
    assert_eq!(hit.id, "data-integrity/duplicate-event-processing");
    let plain = hit.snippet.replace("<b>", "").replace("</b>", "");
    assert!(
        plain.contains("ReceiptHandle is invalid"),
        "{}",
        hit.snippet
    );
    // The message alone: not the tail of the signature stored before it (RabbitMQ's, which
    // ends `to learn more`).
    assert!(plain.starts_with("Value"), "{}", hit.snippet);
    // A query in people's words keeps the symptom it matches.
    let response = search(&engine, "threads wait for a database connection");
    assert!(
        !response.hits[0].snippet.contains("ActiveRecord"),
        "{}",
        response.hits[0].snippet
    );
}

#[tokio::test]
async fn pages_concatenate_to_one_big_page_with_the_same_total_and_facets() {
    let fixture = Fixture::new();
    fixture.index().await;
    let engine = fixture.engine().await;
    for (q, filters) in [
        ("database connection", Filters::default()),
        ("cache -stampede", Filters::default()),
        (
            "",
            Filters {
                difficulty: vec!["intermediate".into(), "advanced".into()],
                ..Filters::default()
            },
        ),
    ] {
        let request = |offset: usize, limit: usize| SearchRequest {
            q: q.to_string(),
            filters: filters.clone(),
            offset,
            limit,
            ..SearchRequest::default()
        };
        let all = engine.search(&request(0, 1_000)).expect("search");
        assert!(all.total > 7, "{q:?} matches enough to page through");
        assert_eq!(all.hits.len(), all.total);
        let mut paged = Vec::new();
        for offset in (0..all.total + 3).step_by(3) {
            let page = engine.search(&request(offset, 3)).expect("search");
            assert_eq!(page.total, all.total, "{q:?} at {offset}");
            assert_eq!(page.facets, all.facets, "{q:?} at {offset}");
            paged.extend(page.hits);
        }
        assert_eq!(paged, all.hits, "{q:?}");
        let scores: Vec<f32> = all.hits.iter().map(|hit| hit.score).collect();
        assert!(scores.windows(2).all(|pair| pair[0] >= pair[1]), "{q:?}");
        assert!(
            engine
                .search(&request(0, 0))
                .expect("search")
                .hits
                .is_empty()
        );
    }
}

#[tokio::test]
async fn a_same_size_rewrite_with_the_same_time_right_after_a_run_is_read_again() {
    let fixture = Fixture::new();
    fixture.index().await;
    let edited = fixture.path("performance/memory-leak.md");
    let modified = std::fs::metadata(&edited)
        .and_then(|meta| meta.modified())
        .expect("mtime");
    let text = std::fs::read_to_string(&edited).expect("read");
    // Same length, same modification time: only the content says it changed. Coarse file
    // system clocks give exactly this when a file is saved twice within one tick.
    let rewritten = text.replacen(" process ", " qzxwvjk ", 1);
    assert_eq!(rewritten.len(), text.len());
    assert_ne!(rewritten, text);
    std::fs::write(&edited, &rewritten).expect("write");
    std::fs::File::options()
        .write(true)
        .open(&edited)
        .and_then(|file| file.set_modified(modified))
        .expect("set mtime");
    let second = fixture.index().await;
    assert_eq!(second.parsed, 1, "the rewritten file is read again");
    let engine = fixture.engine().await;
    assert_eq!(
        ids(&search(&engine, "qzxwvjk")),
        ["performance/memory-leak"]
    );
}

#[tokio::test]
async fn an_incremental_run_resolves_edges_as_a_full_rebuild_does() {
    let fixture = Fixture::new();
    fixture.index().await;
    std::fs::remove_file(fixture.path("availability/retry-storm.md")).expect("rm");
    std::fs::rename(
        fixture.path("scalability/cdn-limits.md"),
        fixture.path("scalability/edge-limits.md"),
    )
    .expect("mv");
    let edited = fixture.path("performance/memory-leak.md");
    let text = std::fs::read_to_string(&edited).expect("read");
    std::fs::write(
        &edited,
        format!("{text}\nSee [retry storm](../availability/thundering-herd.md).\n"),
    )
    .expect("write");
    let incremental = fixture.index().await;
    assert!(incremental.incremental);

    let (_rebuilt, full) = fixture.index_from_scratch().await;
    assert!(!full.incremental);
    let edges = |generation: catalog_indexer::store::Generation| async move {
        let pool = open_generation(&generation).await.expect("db");
        sqlx::query_as::<_, (String, i64, String, Option<String>)>(
            "SELECT source_id, position, target, target_id FROM edges ORDER BY 1, 2",
        )
        .fetch_all(&pool)
        .await
        .expect("edges")
    };
    let from_incremental = edges(incremental.generation).await;
    assert!(
        from_incremental
            .iter()
            .any(|(_, _, target, id)| target.contains("retry-storm") && id.is_none()),
        "edges to the deleted file no longer resolve"
    );
    assert_eq!(from_incremental, edges(full.generation).await);
}

/// Every problem as the read side returns it, by id.
async fn every_problem(generation: &catalog_indexer::store::Generation) -> Vec<Lookup> {
    let pool = open_generation(generation).await.expect("db");
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM problems ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("ids");
    let mut out = Vec::new();
    for id in ids {
        out.push(load_problem(&pool, &id).await.expect("load"));
    }
    out
}

#[tokio::test]
async fn text_shards_stay_few_and_serve_the_text_a_full_rebuild_serves() {
    let fixture = Fixture::new();
    fixture.index().await;
    let files: Vec<String> = catalog_indexer::tree::discover(&fixture.config())
        .expect("discover")
        .markdown
        .into_iter()
        .filter(|rel| rel.contains('/') && !rel.ends_with("index.md"))
        .collect();
    let mut most = 0;
    // One edited file per run: each run writes a shard, and runs merge them past the limit.
    for (run, rel) in files.iter().take(MAX_SHARDS + 4).enumerate() {
        let path = fixture.path(rel);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("{text}\nEdited in run {run}.\n")).expect("write");
        let summary = fixture.index().await;
        assert!(summary.incremental);
        let shards = shard_names(&summary.generation).expect("shards");
        assert!(shards.len() <= MAX_SHARDS, "run {run}: {shards:?}");
        most = most.max(shards.len());
    }
    assert_eq!(most, MAX_SHARDS, "shards accumulate up to the limit");
    // Every file edited at once: every older shard is dead and leaves the generation.
    for rel in &files {
        let path = fixture.path(rel);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("{text}\nEdited again.\n")).expect("write");
    }
    let last = fixture.index().await;
    assert_eq!(
        shard_names(&last.generation).expect("shards"),
        std::slice::from_ref(&last.generation.id)
    );
    let incremental = every_problem(&last.generation).await;

    let (_rebuilt, full) = fixture.index_from_scratch().await;
    let from_scratch = every_problem(&full.generation).await;
    assert_eq!(incremental.len(), 44);
    assert_eq!(incremental, from_scratch);
    let Lookup::Found(view) = &incremental[0] else {
        panic!("a problem");
    };
    assert!(view.body.contains("Edited again."));
    assert!(view.sections.iter().any(|section| !section.text.is_empty()));
}

#[tokio::test]
async fn a_generation_of_an_older_schema_is_rebuilt_not_reused() {
    let fixture = Fixture::new();
    let first = fixture.index().await;
    let pool = sqlx::SqlitePool::connect(&format!(
        "sqlite://{}",
        first.generation.sqlite_path().display()
    ))
    .await
    .expect("db");
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&pool)
    .await
    .expect("forget the newest migration");
    pool.close().await;
    let second = fixture.index().await;
    assert!(!second.incremental);
    assert_eq!(second.parsed, 44);
}

#[tokio::test]
async fn scoring_on_two_threads_ranks_as_on_one() {
    let fixture = Fixture::new();
    fixture.index().await;
    let one = fixture.engine().await;
    let mut two = fixture.engine().await;
    // Every index is split from one document on: each segment is cut in two parts.
    two.set_split_docs(1);
    let queries = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/relevance/dev-queries.tsv"),
    )
    .expect("dev queries");
    let mut compared = 0;
    for line in queries.lines().filter(|line| !line.starts_with('#')) {
        let Some((q, _)) = line.split_once('\t') else {
            continue;
        };
        let (a, b) = (search(&one, q), search(&two, q));
        assert_eq!(ids(&a), ids(&b), "{q}");
        assert_eq!(a.total, b.total, "{q}");
        assert_eq!(a.facets, b.facets, "{q}");
        for (x, y) in a.hits.iter().zip(&b.hits) {
            assert!(
                (x.score - y.score).abs() < 1e-4,
                "{q}: {} {}",
                x.score,
                y.score
            );
        }
        compared += 1;
    }
    assert!(compared > 10, "only {compared} queries compared");
}

#[tokio::test]
async fn reports_are_matched_by_triage_but_neither_searched_nor_asked() {
    use catalog_indexer::search::Ranking;
    use catalog_indexer::triage::{TriageModel, TriageRequest};

    let fixture = Fixture::new();
    let path = fixture.path("performance/memory-leak.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let report = "the quarblix gauge creeps up overnight";
    let text = text.replacen(
        "\nreports:\n",
        &format!("\nreports:\n  - \"{report}\"\n"),
        1,
    );
    assert!(text.contains(report), "the article has a reports list");
    std::fs::write(&path, &text).expect("write");
    let summary = fixture.index().await;
    let engine = fixture.engine().await;

    // The catalog's search ranks articles by their own words: a word only a report holds
    // finds nothing.
    assert_eq!(search(&engine, "quarblix").total, 0);
    // A ranking that weighs reports (as triage's statement search does) finds it.
    let weighed = engine
        .search(&SearchRequest {
            q: "quarblix".to_string(),
            limit: 10,
            ranking: Some(Ranking {
                reports: 3.5,
                ..Ranking::default()
            }),
            ..SearchRequest::default()
        })
        .expect("search");
    assert_eq!(ids(&weighed), ["performance/memory-leak"]);

    // Triage reads reports from the store and matches a statement against them, but offers
    // only symptoms as checks.
    let pool = open_generation(&summary.generation).await.expect("db");
    let model = TriageModel::load(&pool).await.expect("model");
    let response = model
        .triage(
            &TriageRequest {
                observed: vec!["our quarblix gauge creeps up every night".to_string()],
                ..TriageRequest::default()
            },
            Some(&engine),
        )
        .expect("triage");
    assert_eq!(response.candidates[0].id, "performance/memory-leak");
    assert!(
        response.candidates[0]
            .explains
            .iter()
            .any(|e| e.contains("quarblix")),
        "{:?}",
        response.candidates[0]
    );
    // The article's reports: had they been offered as checks, some of these would be.
    let reports: Vec<String> = text
        .split("\nreports:\n")
        .nth(1)
        .expect("a reports list")
        .lines()
        .map_while(|line| line.strip_prefix("  - "))
        .map(|line| line.trim_matches('"').to_string())
        .collect();
    assert!(reports.len() > 10, "{reports:?}");
    assert!(!response.next_checks.is_empty());
    for check in &response.next_checks {
        assert!(!reports.contains(&check.symptom), "{check:?} is a report");
    }
}

#[tokio::test]
async fn coverage_counts_words_by_rarity_or_alike_as_the_ranking_says() {
    use catalog_indexer::search::Ranking;

    let fixture = Fixture::new();
    fixture.index().await;
    let engine = fixture.engine().await;
    // The memory leak's article holds `memory`, `grows` and `restart` but not `seat`, the
    // rarest of the four here (double booking's word). With coverage to the power 1, its score
    // over its score without coverage is its coverage.
    let score = |q: &str, power: f32, rarity: f32| -> f64 {
        let response = engine
            .search(&SearchRequest {
                q: q.to_string(),
                limit: 44,
                ranking: Some(Ranking {
                    coverage_power: power,
                    coverage_rarity: rarity,
                    ..Ranking::default()
                }),
                ..SearchRequest::default()
            })
            .expect("search");
        let hit = response
            .hits
            .iter()
            .find(|hit| hit.id == "performance/memory-leak")
            .expect("the memory leak matches");
        f64::from(hit.score)
    };
    let said = "memory grows restart seat";
    let uncovered = score(said, 0.0, 1.0);
    // Every word alike: three words of four.
    let alike = score(said, 1.0, 0.0) / uncovered;
    assert!((alike - 0.75).abs() < 1e-4, "{alike}");
    // By rarity (the default), the missing rare word weighs more than a common one.
    let by_rarity = score(said, 1.0, 1.0) / uncovered;
    assert!(by_rarity < 0.7, "{by_rarity}");
    assert_eq!(Ranking::default().coverage_rarity, 0.5);
    // A query that reads as a program's output counts rarity in full, whatever the knob.
    let printed = "memory grows restart seat java.lang.OutOfMemoryError";
    assert_eq!(score(printed, 0.5, 0.0), score(printed, 0.5, 1.0));
}

#[tokio::test]
async fn every_hit_of_an_explained_search_is_explained() {
    // Tantivy's `explain` of a Boolean query seeks a clause's scorer backwards when the
    // document is not among that clause's matches (quickwit-oss/tantivy#2645): in a debug
    // build of Tantivy a `debug_assert` panicked here (the workspace builds it without them).
    let fixture = Fixture::new();
    fixture.index().await;
    let engine = fixture.engine().await;
    for q in [
        "memory grows restart seat",
        "seat",
        "memry leek",
        "connection pool exhausted timeouts",
    ] {
        let response = engine
            .search(&SearchRequest {
                q: q.to_string(),
                limit: 44,
                explain: true,
                ..SearchRequest::default()
            })
            .expect("search");
        assert!(!response.hits.is_empty(), "{q}");
        for hit in &response.hits {
            let explanation = hit.explanation.as_ref().expect("explained");
            assert!(explanation["text"].is_object(), "{q}: {}", hit.id);
            // People's words: rarity counts at the default half toward coverage.
            assert_eq!(explanation["coverage_rarity"], 0.5, "{q}");
        }
    }
}
