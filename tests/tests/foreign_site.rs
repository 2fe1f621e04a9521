//! `catalog init` then `catalog lint` on a foreign-style docs site (a Nextra-like tree written
//! for this test), then `--fix` repairing its `linked_from` lists.

mod common;

use std::fs;

use common::{catalog, copy_tree, fixture};

#[test]
fn init_then_lint_reports_only_the_real_problems_and_fix_repairs_reverse_fields() {
    let site = copy_tree(&fixture("foreign-site"));
    let root = site.path();

    let init = catalog(root).args(["init", "."]).output().expect("runs");
    assert_eq!(
        init.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let config = fs::read_to_string(root.join("catalog.toml")).expect("init wrote catalog.toml");
    insta::assert_snapshot!("inferred_config", config);
    assert_eq!(
        fs::read_to_string(root.join(".gitignore")).expect(".gitignore"),
        ".catalog/\n"
    );

    let lint = catalog(root)
        .args(["lint", "--format", "concise"])
        .output()
        .expect("runs");
    assert_eq!(lint.status.code(), Some(1));
    insta::assert_snapshot!("lint_after_init", String::from_utf8_lossy(&lint.stdout));

    let fixed = catalog(root)
        .args(["lint", "--fix", "--format", "concise"])
        .output()
        .expect("runs");
    insta::assert_snapshot!("lint_after_fix", String::from_utf8_lossy(&fixed.stdout));

    let read = |path: &str| fs::read_to_string(root.join(path)).expect("readable");
    let herd = read("problems-at-scale/availability/thundering-herd.md");
    assert!(
        herd.contains(
            "linked_from: [guides/thundering-herd, problems-at-scale/availability/retry-storm]"
        ),
        "{herd}"
    );
    let storm = read("problems-at-scale/availability/retry-storm.md");
    assert!(
        storm.contains(
            "linked_from:\n  - guides/exponential-backoff\n  - problems-at-scale/availability/thundering-herd\n  - problems-at-scale/scalability/thundering-herd\n"
        ),
        "{storm}"
    );
    // Everything else in the files is untouched.
    assert!(storm.contains("description: >-\n  Clients retry in lockstep"));
    assert!(
        herd.starts_with(
            "---\ntitle: \"Thundering Herd: \\\"Cache Expiry\\\" Meets Peak Traffic\"\n"
        )
    );

    let again = catalog(root)
        .args(["lint", "--fix"])
        .output()
        .expect("runs");
    assert!(
        !String::from_utf8_lossy(&again.stdout).contains("Fixed"),
        "a second --fix has nothing left to fix"
    );
}

#[test]
fn a_foreign_site_indexes_and_searches_after_init() {
    let site = copy_tree(&fixture("foreign-site"));
    let root = site.path();
    assert_eq!(
        catalog(root)
            .args(["init", "."])
            .output()
            .expect("runs")
            .status
            .code(),
        Some(0)
    );
    let index = catalog(root).args(["index"]).output().expect("runs");
    assert_eq!(
        index.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&index.stderr)
    );
    assert!(
        String::from_utf8_lossy(&index.stdout).starts_with("Indexed 5 records"),
        "{}",
        String::from_utf8_lossy(&index.stdout)
    );

    // The description (mapped to the summary) is searchable, and JSON has the API's shape.
    let found = catalog(root)
        .args(["search", "lockstep", "--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&found.stdout).expect("JSON");
    assert_eq!(
        json["hits"][0]["id"],
        "problems-at-scale/availability/retry-storm"
    );
    assert_eq!(json["total"], 1);

    // Typed edges from the foreign edge fields, with the dangling one kept unresolved.
    let shown = catalog(root)
        .args(["show", "retry-storm", "--format", "json"])
        .output()
        .expect("runs");
    let record: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("JSON");
    let outgoing = record["outgoing"].as_array().expect("edges");
    let edge = |kind: &str, id: &str| {
        outgoing
            .iter()
            .find(|e| e["kind"] == kind && e["id"] == id)
            .cloned()
    };
    assert_eq!(
        edge("prerequisites", "guides/exponential-backoff").expect("prerequisite")["resolved"],
        true
    );
    assert_eq!(
        edge(
            "related_problems",
            "problems-at-scale/availability/no-such-article"
        )
        .expect("dangling")["resolved"],
        false
    );
    // A slug shared by two records is refused with both ids.
    let ambiguous = catalog(root)
        .args(["show", "thundering-herd"])
        .output()
        .expect("runs");
    assert_eq!(ambiguous.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&ambiguous.stderr).contains("names several problems"));
}
