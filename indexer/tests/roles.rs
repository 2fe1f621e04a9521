//! Section roles on a site written in another template: `catalog init` infers which headings
//! play the roles of symptoms, incidents, related problems and summary (a miniature of the
//! shape of a real docs site, emoji and numbered headings included), and ranking and the
//! stored record use them as they use our own template's roles.

mod common;

use catalog_indexer::config::Config;
use catalog_indexer::infer::{infer_folder, to_toml};
use catalog_indexer::model::ProblemRecord;
use catalog_indexer::search::SearchRequest;
use catalog_indexer::tree::Tree;
use tempfile::TempDir;

/// One article in the site's shape; `overview` and `body` are the words that differ.
fn article(title: &str, overview: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ntags:\n  - ops\n---\n\n# {title}\n\n## 🗺️ Quick Overview\n\n{overview}\n\n\
         ## The Problem Class\n\n{body}\n\n## Real-World Examples\n\n### Acme (2021)\n\n\
         A public outage report describes this in detail.\n\n## Why Obvious Solutions Fail\n\n\
         Adding more servers does not help here.\n\n## 13. Related Concepts\n\n\
         See the write-up on lighthouse keepers.\n\n## Key Takeaways\n\nMeasure before changing things.\n"
    )
}

fn site() -> TempDir {
    let root = tempfile::tempdir().expect("tempdir");
    let files = [
        (
            "failures/queue-backlog.md",
            article(
                "Consumer Lag",
                "Consumers fall behind and the backlog keeps growing.",
                "Producers outpace consumers.",
            ),
        ),
        (
            "failures/slow-disk.md",
            article(
                "Slow Disk",
                "Writes stall.",
                "The backlog keeps growing, and the backlog keeps growing.",
            ),
        ),
        (
            "failures/leaky-pool.md",
            article(
                "Leaky Pool",
                "Requests wait for a connection that never comes back.",
                "A code path forgets to return its connection.",
            ),
        ),
        (
            "guides/tuning.md",
            article(
                "Tuning Guide",
                "How to size pools and queues.",
                "Start from measured load.",
            ),
        ),
    ];
    for (path, text) in files {
        let path = root.path().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    root
}

#[test]
fn init_infers_roles_from_the_headings_records_share() {
    let root = site();
    let inference = infer_folder(root.path()).expect("infer");
    let roles = &inference.config.roles;
    let has = |role: &str, heading: &str| {
        roles
            .get(role)
            .is_some_and(|headings| headings.iter().any(|h| h == heading))
    };
    assert!(has("symptoms", "🗺️ Quick Overview"), "{roles:?}");
    assert!(has("incidents", "Real-World Examples"), "{roles:?}");
    assert!(has("related", "13. Related Concepts"), "{roles:?}");
    assert!(has("summary", "Key Takeaways"), "{roles:?}");
    // A heading about what does not work is not where the approaches are.
    assert!(
        !roles
            .values()
            .flatten()
            .any(|heading| heading.contains("Obvious")),
        "{roles:?}"
    );
    // The written configuration loads and gives the same roles back.
    std::fs::write(root.path().join("catalog.toml"), to_toml(&inference)).expect("write");
    let config = Config::load(root.path()).expect("the inferred catalog.toml loads");
    let tree = Tree::load(config.clone()).expect("tree");
    let doc = tree
        .docs
        .iter()
        .find(|doc| doc.id.ends_with("guides/tuning"))
        .expect("the guide is a record");
    let record = ProblemRecord::from_document(doc, &config);
    let role = |heading: &str| {
        record
            .sections
            .iter()
            .find(|section| section.heading == heading)
            .and_then(|section| section.role.clone())
    };
    assert_eq!(role("🗺️ Quick Overview").as_deref(), Some("symptoms"));
    // A subsection takes its parent's role.
    assert_eq!(role("Acme (2021)").as_deref(), Some("incidents"));
    assert_eq!(role("13. Related Concepts").as_deref(), Some("related"));
    assert_eq!(role("The Problem Class"), None);
}

#[tokio::test]
async fn inferred_roles_rank_the_overview_as_symptoms_and_leave_related_out() {
    let root = site();
    let (engine, _data) = common::index_inferred(root.path()).await;
    let titles = |q: &str| -> Vec<String> {
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
    };
    // The same words in one record's overview and in another's longer body: the overview
    // is where the site states what one sees.
    assert_eq!(
        titles("backlog keeps growing ").first().map(String::as_str),
        Some("Consumer Lag")
    );
    // Words only found in a related-concepts list are other records' names, not this one's.
    assert!(titles("lighthouse keepers ").is_empty());
}

#[test]
fn an_unknown_role_is_refused_with_its_location() {
    let root = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        root.path().join("catalog.toml"),
        "[catalog]\n\n[roles]\nsymptom = [\"Signs\"]\n",
    )
    .expect("write");
    let message = Config::load(root.path())
        .expect_err("an unknown role is refused")
        .to_string();
    assert!(
        message.contains("unknown section role `symptom`"),
        "{message}"
    );
    assert!(message.contains(":4:"), "{message}");
}

#[tokio::test]
async fn another_name_for_a_problem_is_inferred_as_an_alias_and_found_as_its_title_is() {
    let root = tempfile::tempdir().expect("tempdir");
    let text = |title: &str, aka: &str, overview: &str| {
        format!(
            "---\ntitle: {title}\naka: [{aka}]\n---\n\n# {title}\n\n## Overview\n\n{overview}\n"
        )
    };
    for (file, title, aka, overview) in [
        (
            "herd.md",
            "Thundering Herd",
            "cache stampede, dogpile",
            "Every client reloads the same value when it expires.",
        ),
        (
            "lag.md",
            "Consumer Lag",
            "queue backlog",
            "Consumers fall behind the producers.",
        ),
    ] {
        std::fs::write(root.path().join(file), text(title, aka, overview)).expect("write");
    }
    let inference = infer_folder(root.path()).expect("infer");
    let aliases = inference
        .config
        .fields
        .get("aliases")
        .expect("`aka` read as the aliases field");
    assert_eq!(aliases.from.as_deref(), Some("aka"));
    assert!(aliases.vocabulary.is_none(), "names are not a closed set");
    let (engine, _data) = common::index_inferred(root.path()).await;
    let hits = engine
        .search(&SearchRequest {
            q: "dogpile".to_string(),
            limit: 10,
            ..SearchRequest::default()
        })
        .expect("search")
        .hits;
    // The word is in no article's text: only the alias names it.
    assert_eq!(
        hits.iter()
            .map(|hit| hit.title.as_str())
            .collect::<Vec<_>>(),
        ["Thundering Herd"]
    );
}
