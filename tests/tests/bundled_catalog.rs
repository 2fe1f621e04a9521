//! The bundled catalog: the 44 records the catalog promises, each complete.

mod common;

use catalog_indexer::config::Config;
use catalog_indexer::lint::{PathFilter, Settings, lint};
use catalog_indexer::model::parse_reference;
use catalog_indexer::tree::{Resolution, Tree};
use common::bundled_catalog;

const IDS: &[&str] = &[
    "availability/cascading-failures",
    "availability/circuit-breaker-failure",
    "availability/retry-storm",
    "availability/split-brain",
    "availability/thundering-herd",
    "availability/timeout-domino-effect",
    "concurrency/counter-race",
    "concurrency/database-deadlock",
    "concurrency/double-booking",
    "concurrency/double-charge-payment",
    "concurrency/duplicate-orders",
    "concurrency/race-condition-inventory",
    "concurrency/stock-order-matching-race",
    "consistency/cache-invalidation-race",
    "consistency/distributed-transaction",
    "consistency/eventual-consistency-lag",
    "consistency/message-out-of-order",
    "consistency/realtime-stock-desync",
    "consistency/stale-read-after-write",
    "consistency/write-skew",
    "cost-optimization/cdn-costs",
    "cost-optimization/inefficient-queries",
    "cost-optimization/over-provisioning",
    "cost-optimization/storage-bloat",
    "cost-optimization/unused-indexes",
    "data-integrity/duplicate-entries",
    "data-integrity/duplicate-event-processing",
    "data-integrity/foreign-key-violations",
    "data-integrity/migration-failure",
    "data-integrity/orphaned-records",
    "data-integrity/silent-data-corruption",
    "performance/blocking-io",
    "performance/connection-pool-starvation",
    "performance/large-payloads",
    "performance/memory-leak",
    "performance/n-plus-one-query",
    "performance/slow-queries",
    "performance/thread-pool-exhaustion",
    "scalability/cdn-limits",
    "scalability/connection-pool-exhausted",
    "scalability/database-hotspots",
    "scalability/hot-partition",
    "scalability/search-timeout",
    "scalability/websocket-scaling",
];

fn load() -> Tree {
    let config = Config::load(&bundled_catalog()).expect("catalog.toml loads");
    Tree::load(config).expect("the bundled catalog loads")
}

#[test]
fn holds_exactly_the_promised_records_in_every_category() {
    let tree = load();
    let ids: Vec<&str> = tree.record_ids().collect();
    assert_eq!(ids, IDS);
    let config = &tree.config;
    let targets: Vec<(&str, u32)> = config
        .raw
        .categories
        .iter()
        .map(|category| (category.key.as_str(), category.target))
        .collect();
    assert_eq!(
        targets,
        [
            ("concurrency", 200),
            ("availability", 180),
            ("scalability", 150),
            ("consistency", 120),
            ("performance", 150),
            ("data-integrity", 100),
            ("cost-optimization", 100),
        ]
    );
    for (key, _) in targets {
        assert!(
            tree.records
                .iter()
                .flatten()
                .any(|record| record.category.as_deref() == Some(key)),
            "no record in {key}"
        );
    }
}

#[test]
fn every_record_is_complete() {
    let tree = load();
    let labels = [
        "The Core Idea",
        "How It Prevents",
        "Why This Works",
        "Key Insight",
        "The Trade-off",
    ];
    for record in tree.records.iter().flatten() {
        let id = &record.id;
        assert!(
            record.symptoms.len() >= 4,
            "{id}: {} symptoms",
            record.symptoms.len()
        );
        assert_eq!(record.approaches.len(), 3, "{id}: approaches");
        for approach in &record.approaches {
            for label in labels {
                assert!(
                    approach
                        .parts
                        .iter()
                        .any(|part| part.label.starts_with(label) && !part.text.is_empty()),
                    "{id}: approach `{}` lacks {label}",
                    approach.name
                );
            }
        }
        for role in ["detection", "recovery"] {
            let section = record.section_with_role(role);
            assert!(
                section.is_some_and(|s| !s.text.is_empty()),
                "{id}: no {role} section"
            );
        }
        let resolving = record
            .edges
            .iter()
            .filter(|edge| edge.field == "related")
            .filter(|edge| {
                matches!(
                    tree.resolve_id(&parse_reference(&edge.target).path),
                    Resolution::Document(_)
                )
            })
            .count();
        assert!(resolving >= 2, "{id}: {resolving} resolving related edges");
        for incident in &record.incidents {
            let source = incident.source.as_deref().unwrap_or("");
            assert!(
                source.starts_with("https://") || source.starts_with("http://"),
                "{id}: {source}"
            );
        }
    }
}

#[test]
fn passes_lint_with_zero_findings() {
    let tree = load();
    let settings = Settings::from_config(&tree.config).expect("lint settings");
    let report = lint(&tree, &settings, &PathFilter::default());
    let found: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} {}",
                tree.source(d.file).rel_path,
                d.rule.code,
                d.message
            )
        })
        .collect();
    assert!(found.is_empty(), "{found:#?}");
}
