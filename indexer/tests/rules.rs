//! One fixture per lint rule, with a snapshot of its rendered diagnostics.
//!
//! `tests/fixtures/rules/<CODE>/` is a small catalog tree that triggers the rule; it is read
//! with its own `catalog.toml` when it has one, else with the shared
//! `tests/fixtures/rules/catalog.toml`. Only the rule under test runs, so each snapshot shows
//! exactly that rule's findings.

use std::path::{Path, PathBuf};

use catalog_indexer::config::{CONFIG_FILE, Config};
use catalog_indexer::lint::render::{Format, RenderOptions, render};
use catalog_indexer::lint::{PathFilter, Settings, lint};
use catalog_indexer::rules::RULES;
use catalog_indexer::tree::Tree;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn load(root: &Path) -> Tree {
    let own = root.join(CONFIG_FILE);
    let config = if own.exists() {
        Config::load(root).expect("fixture catalog.toml loads")
    } else {
        let text = std::fs::read_to_string(fixtures().join(CONFIG_FILE)).expect("shared config");
        Config::from_toml(root, None, &text).expect("shared config loads")
    };
    Tree::load(config).expect("fixture tree loads")
}

/// Renders the findings of `code` alone on its fixture, with paths relative to the fixture.
fn findings(code: &str) -> (usize, String) {
    let rule = RULES
        .iter()
        .find(|rule| rule.code == code)
        .expect("a rule with this code");
    let root = fixtures().join(code);
    let tree = load(&root);
    let report = lint(&tree, &Settings::only(rule), &PathFilter::default());
    let text = render(&report, &tree, Format::Full, RenderOptions::default());
    let prefix = format!("{}/", root.display());
    (report.diagnostics.len(), text.replace(&prefix, ""))
}

#[test]
fn every_rule_has_a_fixture() {
    let missing: Vec<&str> = RULES
        .iter()
        .map(|rule| rule.code)
        .filter(|code| !fixtures().join(code).is_dir())
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}

#[test]
fn every_fixture_triggers_its_rule() {
    for rule in RULES {
        if !fixtures().join(rule.code).is_dir() {
            continue;
        }
        let (count, text) = findings(rule.code);
        assert!(
            count > 0,
            "{} {} finds nothing in its fixture",
            rule.code,
            rule.name
        );
        assert!(
            text.contains(&format!("[{}]", rule.code)),
            "{} does not report under its own code:\n{text}",
            rule.code
        );
    }
}

#[test]
fn rule_snapshots() {
    for rule in RULES {
        if !fixtures().join(rule.code).is_dir() {
            continue;
        }
        let (_, text) = findings(rule.code);
        insta::with_settings!({ snapshot_suffix => rule.code, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!("rule", text);
        });
    }
}
