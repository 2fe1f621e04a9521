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

/// Writes `files` (path, text) under `root`.
fn write_files(root: &std::path::Path, files: &[(&str, String)]) {
    for (path, text) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
}

fn article(title: &str, difficulty: &str, tag: &str, minutes: u32) -> String {
    article_needing(title, difficulty, tag, minutes, "guides/article-0")
}

/// An article whose prerequisites name `needs` and a sentence, as the real site writes them.
fn article_needing(title: &str, difficulty: &str, tag: &str, minutes: u32, needs: &str) -> String {
    format!(
        "---\ntitle: {title}\ndifficulty: {difficulty}\nreading_time: {minutes} min\ntags:\n  - {tag}\n  - ops\nprerequisites:\n  - {needs}\n  - Docker Desktop installed\n---\n\n# {title}\n\nText.\n"
    )
}

#[test]
fn init_leaves_router_files_out_and_keeps_tags_and_measures_open() {
    let project = tempfile::tempdir().expect("tempdir");
    // A Nextra project root: the docs are in content/.
    fs::write(project.path().join("package.json"), "{}\n").expect("write");
    let mut files = Vec::new();
    for (i, difficulty) in [
        "beginner", "advanced", "beginner", "advanced", "beginner", "advanced",
    ]
    .iter()
    .enumerate()
    {
        files.push((
            format!("content/guides/article-{i}.md"),
            article(
                &format!("Article {i}"),
                difficulty,
                &format!("topic-{i}"),
                10 + i as u32,
            ),
        ));
    }
    files.push((
        "content/guides/_meta.js".into(),
        "export default {\n  'article-0': 'Article 0',\n  STATUS: 'Status',\n}\n".into(),
    ));
    // A second top-level folder, and the root navigation file titling the first.
    files.push((
        "content/02-failures/disk-full.md".into(),
        article("Disk Full", "advanced", "storage", 9),
    ));
    files.push((
        "content/_meta.js".into(),
        "export default {\n  index: 'Home',\n  guides: { title: '📘 Guides', type: 'page' },\n}\n"
            .into(),
    ));
    // Router files an assistant or a maintainer keeps beside the articles, out of navigation.
    files.push((
        "content/guides/CONTEXT.md".into(),
        "# Context\n\nFiles in this folder: see article-0.\n".into(),
    ));
    files.push((
        "content/CONTEXT.md".into(),
        "# Context\n\nSections of the site.\n".into(),
    ));
    // A capitalised page the navigation lists is a page of the site, not a router file.
    files.push((
        "content/guides/STATUS.md".into(),
        "# Status\n\nWhat is written.\n".into(),
    ));
    let borrowed: Vec<(&str, String)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.clone()))
        .collect();
    write_files(project.path(), &borrowed);

    let init = catalog(project.path())
        .args(["init", "."])
        .output()
        .expect("runs");
    assert_eq!(
        init.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let content = project.path().join("content");
    let config = fs::read_to_string(content.join("catalog.toml"))
        .expect("init found content/ and wrote its catalog.toml there");
    assert!(config.contains("\"**/CONTEXT.md\""), "{config}");
    assert!(!config.contains("\"**/STATUS.md\""), "{config}");
    // difficulty is a closed set; tags and reading times are not.
    assert!(
        config.contains("difficulty = [\n    \"advanced\",\n    \"beginner\",\n]"),
        "{config}"
    );
    assert!(!config.contains("tags = ["), "{config}");
    assert!(!config.contains("reading_time = ["), "{config}");
    // Categories are the top-level folders, titled by the navigation file or by their name.
    assert!(
        config.contains(
            "[[categories]]\nkey = \"guides\"\nlabel = \"Guides\"\nemoji = \"📘\"\ntarget = 0\n\n\
             [[categories]]\nkey = \"02-failures\"\nlabel = \"Failures\"\ntarget = 0\n"
        ),
        "{config}"
    );
    assert!(config.contains("from = \"top-folder\""), "{config}");

    // A new article in the site's shape, with a new tag and a new reading time, is clean
    // of vocabulary findings; the router files are not records and get no findings.
    fs::write(
        content.join("guides/article-new.md"),
        article("Article New", "beginner", "brand-new-topic", 42),
    )
    .expect("write");
    fs::write(
        content.join("guides/article-broken.md"),
        article_needing(
            "Article Broken",
            "advanced",
            "ops",
            7,
            "guides/no-such-article",
        ),
    )
    .expect("write");
    let lint = catalog(&content)
        .args(["lint", "--format", "concise", "--exit-zero"])
        .output()
        .expect("runs");
    let out = String::from_utf8_lossy(&lint.stdout);
    assert!(!out.contains("F004"), "{out}");
    assert!(!out.contains("CONTEXT.md"), "{out}");
    // A prerequisite written as a sentence is text; a broken id is still caught.
    assert!(config.contains("[edges.prerequisites]"), "{config}");
    assert!(!out.contains("Docker Desktop"), "{out}");
    assert!(
        out.contains("R001 [unknown-reference] `prerequisites` names `guides/no-such-article`"),
        "{out}"
    );
}

#[test]
fn init_reads_signatures_and_pairs_causal_edges_with_their_reverse() {
    let site = copy_tree(&common::bundled_catalog());
    let root = site.path();
    fs::remove_file(root.join("catalog.toml")).expect("remove catalog.toml");
    let init = catalog(root).args(["init", "."]).output().expect("runs");
    assert_eq!(
        init.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let toml = fs::read_to_string(root.join("catalog.toml")).expect("catalog.toml");
    assert!(
        toml.contains("[fields.signatures]\ntype = \"signatures\""),
        "{toml}"
    );
    assert!(
        toml.contains("[edges.causes]\nreverse = \"caused_by\""),
        "{toml}"
    );
    assert!(!toml.contains("[edges.caused_by]"), "{toml}");
    let lint = catalog(root).args(["lint"]).output().expect("runs");
    let out = String::from_utf8_lossy(&lint.stdout);
    assert!(!out.contains("R004"), "caused_by is in sync: {out}");
    assert!(!out.contains("[G0"), "signatures are valid: {out}");
}
