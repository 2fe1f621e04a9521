//! Problem write-ups on a site that also holds other pages: `catalog init` names the folders
//! that hold them (`[search] problems`) when both the folder's name and its records say so,
//! and a search ranks a write-up above a guide that matches about as well
//! (`[search.ranking] problem_prior`).

mod common;

use catalog_indexer::config::Config;
use catalog_indexer::infer::{infer_folder, to_toml};
use catalog_indexer::search::{Ranking, SearchRequest};
use tempfile::TempDir;

/// A problem write-up: it has a detection and an incidents section.
fn writeup(title: &str, text: &str) -> String {
    format!(
        "---\ntitle: {title}\n---\n\n# {title}\n\n## Overview\n\n{text}\n\n\
         ## Real-World Incidents\n\nA public report describes one.\n\n\
         ## Detection\n\nWatch the metrics.\n\n## Key Takeaways\n\nMeasure first.\n"
    )
}

/// Any other page: an explanation or an exercise.
fn page(title: &str, text: &str) -> String {
    format!(
        "---\ntitle: {title}\n---\n\n# {title}\n\n## Overview\n\n{text}\n\n\
         ## How It Works\n\nSome detail.\n\n## Key Takeaways\n\nMeasure first.\n"
    )
}

fn site(files: &[(&str, String)]) -> TempDir {
    let root = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let path = root.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    root
}

/// A mixed site: write-ups under `failures/`, concept pages, and design exercises in a folder
/// whose name says `problems` though they are not failures.
fn mixed_site() -> TempDir {
    site(&[
        (
            "databases/failures/pool-starvation.md",
            writeup(
                "Pool Starvation",
                "Requests wait for a database connection while the database is idle.",
            ),
        ),
        (
            "caching/failures/stampede.md",
            writeup("Cache Stampede", "Every request misses the cache at once."),
        ),
        (
            "queues/failures/consumer-lag.md",
            writeup("Consumer Lag", "Consumers fall behind the producers."),
        ),
        (
            "databases/concepts/connection-pools.md",
            page(
                "Connection Pools",
                "A connection pool lends each request a database connection; requests wait \
                 for a database connection when all are lent.",
            ),
        ),
        (
            "caching/concepts/expiry.md",
            page("Cache Expiry", "How entries expire."),
        ),
        (
            "queues/concepts/partitions.md",
            page("Partitions", "How a topic is split."),
        ),
        (
            "system-design-problems/url-shortener.md",
            page("Design a URL Shortener", "Design an exercise."),
        ),
        (
            "system-design-problems/chat.md",
            page("Design a Chat Service", "Design an exercise."),
        ),
    ])
}

#[test]
fn init_names_the_folders_whose_name_and_records_say_they_hold_problems() {
    let root = mixed_site();
    let inference = infer_folder(root.path()).expect("infer");
    assert_eq!(inference.config.search.problems, ["**/failures/**"]);
    assert!(
        inference
            .describe()
            .contains("problem write-ups (ranked first at a comparable match): **/failures/**"),
        "{}",
        inference.describe()
    );
    // The written configuration loads.
    std::fs::write(root.path().join("catalog.toml"), to_toml(&inference)).expect("write");
    Config::load(root.path()).expect("the inferred catalog.toml loads");
}

#[test]
fn a_site_of_problems_only_prefers_none() {
    let root = site(&[
        (
            "failures/a.md",
            writeup("Pool Starvation", "Requests wait."),
        ),
        ("failures/b.md", writeup("Cache Stampede", "Misses.")),
    ]);
    let inference = infer_folder(root.path()).expect("infer");
    assert!(inference.config.search.problems.is_empty());
}

#[tokio::test]
async fn a_write_up_ranks_above_a_page_that_matches_about_as_well() {
    let root = mixed_site();
    let (engine, _data) = common::index_inferred(root.path()).await;
    let hits = |prior: f32| -> Vec<(String, f32)> {
        let ranking = Ranking {
            problem_prior: prior,
            ..Ranking::default()
        };
        engine
            .search(&SearchRequest {
                q: "requests wait for a database connection".to_string(),
                limit: 10,
                ranking: Some(ranking),
                ..SearchRequest::default()
            })
            .expect("search")
            .hits
            .into_iter()
            .map(|hit| (hit.title, hit.score))
            .collect()
    };
    // Without the preference the concept page, which says it twice, comes first.
    let plain = hits(1.0);
    assert_eq!(plain[0].0, "Connection Pools", "{plain:?}");
    let preferred = hits(Ranking::default().problem_prior);
    assert_eq!(preferred[0].0, "Pool Starvation", "{preferred:?}");
    // The write-up's whole score (proximity included) is multiplied; the page's is not.
    let score = |hits: &[(String, f32)], title: &str| {
        hits.iter()
            .find(|(t, _)| t == title)
            .map(|(_, score)| *score)
            .expect("listed")
    };
    let ratio = score(&preferred, "Pool Starvation") / score(&plain, "Pool Starvation");
    assert!(
        (ratio - Ranking::default().problem_prior).abs() < 1e-3,
        "{ratio}"
    );
    assert_eq!(
        score(&preferred, "Connection Pools"),
        score(&plain, "Connection Pools")
    );
}

#[test]
fn a_bad_problems_glob_is_refused_with_its_location() {
    let root = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        root.path().join("catalog.toml"),
        "[catalog]\n\n[search]\nproblems = [\"failures/[x\"]\n",
    )
    .expect("write");
    let message = Config::load(root.path())
        .expect_err("a bad glob is refused")
        .to_string();
    assert!(message.contains("invalid glob `failures/[x`"), "{message}");
    assert!(message.contains(":4:"), "{message}");
}
