//! Ranking on a miniature catalog written for each test: where a phrase is found decides the
//! order (symptoms, then headings, then body), typos are read on the words as written, and
//! `[search.ranking]` in catalog.toml changes the order without a rebuild of the tool.

use catalog_indexer::config::Config;
use catalog_indexer::ingest::{IndexOptions, index};
use catalog_indexer::search::{Ranking, SearchEngine, SearchRequest};
use tempfile::TempDir;

/// Three problems holding the same phrase in different places, one about replication and one
/// written with pronouns.
const FILES: &[(&str, &str)] = &[
    (
        "in-symptoms.md",
        "---\ntitle: Alpha\nsymptoms:\n  - gateway returns flapping errors\n---\n\n# Alpha\n\n## Notes\n\nNothing to see in this part of the write-up at all.\n",
    ),
    (
        "in-heading.md",
        "---\ntitle: Beta\n---\n\n# Beta\n\n## Gateway returns flapping errors\n\nNothing to see in this part of the write-up at all.\n",
    ),
    (
        "in-body.md",
        "---\ntitle: Gamma\n---\n\n# Gamma\n\n## Notes\n\nThe gateway returns flapping errors in this part of the write-up.\n",
    ),
    (
        "replication.md",
        "---\ntitle: Delta\n---\n\n# Delta\n\n## Notes\n\nReplication falls behind the primary under heavy write load.\n",
    ),
    (
        "pronouns.md",
        "---\ntitle: Epsilon\n---\n\n# Epsilon\n\n## Notes\n\nOur backups are ours to keep, and we restore them ourselves.\n",
    ),
];

struct Catalog {
    root: TempDir,
    data: TempDir,
}

impl Catalog {
    fn new(config: &str) -> Catalog {
        let root = tempfile::tempdir().expect("tempdir");
        for (name, text) in FILES {
            std::fs::write(root.path().join(name), text).expect("write");
        }
        std::fs::write(root.path().join("catalog.toml"), config).expect("write");
        Catalog {
            root,
            data: tempfile::tempdir().expect("tempdir"),
        }
    }

    async fn engine(&self) -> SearchEngine {
        let config = Config::load(self.root.path()).expect("config");
        let options = IndexOptions {
            data_dir: self.data.path().to_path_buf(),
            ..IndexOptions::default()
        };
        let summary = index(config.clone(), &options, &|_, _| {})
            .await
            .expect("index");
        SearchEngine::open(&summary.generation, &config)
            .await
            .expect("open")
    }
}

fn titles(engine: &SearchEngine, q: &str) -> Vec<String> {
    engine
        .search(&SearchRequest {
            q: q.to_string(),
            limit: 10,
            ..SearchRequest::default()
        })
        .expect("search")
        .hits
        .into_iter()
        .map(|hit| hit.title)
        .collect()
}

#[tokio::test]
async fn the_same_phrase_ranks_symptoms_then_headings_then_body() {
    let catalog = Catalog::new("");
    let engine = catalog.engine().await;
    assert_eq!(
        titles(&engine, "gateway returns flapping errors "),
        ["Alpha", "Beta", "Gamma"]
    );
}

#[tokio::test]
async fn a_ranking_override_in_catalog_toml_changes_the_order() {
    let catalog = Catalog::new("[search.ranking]\nbody = 10.0\nsymptoms = 0.5\nheadings = 0.5\n");
    let engine = catalog.engine().await;
    assert_eq!(
        titles(&engine, "gateway returns flapping errors "),
        ["Gamma", "Alpha", "Beta"]
    );
}

/// Hits as (title, score), ranked with `ranking` when given.
fn scored(engine: &SearchEngine, q: &str, ranking: Option<Ranking>) -> Vec<(String, f32)> {
    engine
        .search(&SearchRequest {
            q: q.to_string(),
            limit: 10,
            ranking,
            ..SearchRequest::default()
        })
        .expect("search")
        .hits
        .into_iter()
        .map(|hit| (hit.title, hit.score))
        .collect()
}

#[tokio::test]
async fn a_request_may_rank_with_its_own_knobs_and_count_a_repeated_word_once() {
    let catalog = Catalog::new("");
    let engine = catalog.engine().await;
    let body_first = Ranking {
        body: 10.0,
        symptoms: 0.5,
        headings: 0.5,
        ..Ranking::default()
    };
    let order = |hits: Vec<(String, f32)>| -> Vec<String> {
        hits.into_iter().map(|(title, _)| title).collect()
    };
    assert_eq!(
        order(scored(
            &engine,
            "gateway returns flapping errors ",
            Some(body_first)
        )),
        ["Gamma", "Alpha", "Beta"]
    );
    // The request's knobs are its own: the next request ranks as catalog.toml says.
    assert_eq!(
        titles(&engine, "gateway returns flapping errors "),
        ["Alpha", "Beta", "Gamma"]
    );
    let once = Ranking {
        repeat: 0.0,
        ..Ranking::default()
    };
    let said_once = scored(&engine, "gateway replication ", Some(once.clone()));
    assert_eq!(
        scored(&engine, "gateway replication gateway ", Some(once)),
        said_once
    );
    // By default a word said again counts again.
    let said_twice = scored(&engine, "gateway replication gateway ", None);
    let alpha = |hits: &[(String, f32)]| {
        hits.iter()
            .find(|(title, _)| title == "Alpha")
            .map(|(_, score)| *score)
            .expect("Alpha found")
    };
    assert!(alpha(&said_twice) > alpha(&said_once));
}

#[tokio::test]
async fn pronouns_say_nothing_about_the_problem() {
    let catalog = Catalog::new("");
    let engine = catalog.engine().await;
    let plain = scored(&engine, "backups restore ", None);
    assert_eq!(plain.len(), 1, "{plain:?}");
    assert_eq!(plain[0].0, "Epsilon");
    assert_eq!(scored(&engine, "our backups we restore ours ", None), plain);
}

#[tokio::test]
async fn typos_are_read_on_the_words_as_written() {
    let catalog = Catalog::new("");
    let engine = catalog.engine().await;
    // `replicaton` stems to itself, far from `replic`: only the surface word is one edit away.
    for typo in ["replicaton ", "replciation ", "gatewya flapping "] {
        let found = titles(&engine, typo);
        assert!(!found.is_empty(), "{typo:?} found nothing");
    }
    assert_eq!(titles(&engine, "replicaton ")[0], "Delta");
    // Words under five letters are taken as typed: `errr` is one edit from `error`.
    assert!(titles(&engine, "errr ").is_empty());
}

#[tokio::test]
async fn a_negative_weight_is_refused_with_its_location() {
    let root = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        root.path().join("catalog.toml"),
        "\n[search.ranking]\ntitle = -1.0\n",
    )
    .expect("write");
    let err = Config::load(root.path()).expect_err("a negative weight is refused");
    let message = err.to_string();
    assert!(message.contains("title = -1"), "{message}");
    assert!(message.contains(":2:"), "{message}");
}

/// The proximity a hit's explanation says it earned, by title.
fn proximity(engine: &SearchEngine, q: &str) -> Vec<(String, f64)> {
    engine
        .search(&SearchRequest {
            q: q.to_string(),
            limit: 10,
            explain: true,
            ..SearchRequest::default()
        })
        .expect("search")
        .hits
        .into_iter()
        .map(|hit| {
            let earned = hit
                .explanation
                .as_ref()
                .and_then(|explanation| explanation["proximity"].as_f64())
                .expect("an explanation with a proximity");
            (hit.title, earned)
        })
        .collect()
}

#[tokio::test]
async fn neighbouring_words_count_as_near_with_a_word_between_them_in_order() {
    let catalog = Catalog::new("");
    // `out of order`: the query's neighbours `out` and `order` with one word between them,
    // within the default slop of two; the other write-up holds both words far apart.
    for (name, title, text) in [
        (
            "near.md",
            "Zeta",
            "Messages arrive out of order at the consumer.",
        ),
        (
            "apart.md",
            "Eta",
            "Out of the box, messages keep the order they had at the consumer.",
        ),
    ] {
        std::fs::write(
            catalog.root.path().join(name),
            format!("---\ntitle: {title}\n---\n\n# {title}\n\n## Notes\n\n{text}\n"),
        )
        .expect("write");
    }
    let engine = catalog.engine().await;
    let earned = proximity(&engine, "messages out of order ");
    let of = |title: &str| {
        earned
            .iter()
            .find(|(hit, _)| hit == title)
            .map(|(_, earned)| *earned)
            .unwrap_or_else(|| panic!("{title} not found in {earned:?}"))
    };
    assert!(of("Zeta") > 0.0, "{earned:?}");
    assert_eq!(of("Eta"), 0.0, "{earned:?}");
    assert_eq!(
        earned.first().map(|(title, _)| title.as_str()),
        Some("Zeta")
    );
}
