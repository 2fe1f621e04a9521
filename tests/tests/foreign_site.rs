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
