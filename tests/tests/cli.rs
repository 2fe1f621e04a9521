//! The `catalog` binary: exit codes, output formats, path selection, fixes and scaffolding,
//! run on temporary copies of the bundled catalog.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{bundled_catalog, catalog, copy_tree};

fn run(dir: &Path, args: &[&str]) -> Output {
    catalog(dir).args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A copy of the bundled catalog with one article broken in known ways.
fn broken_catalog() -> tempfile::TempDir {
    let dir = copy_tree(&bundled_catalog());
    let path = dir.path().join("concurrency/double-booking.md");
    let text = fs::read_to_string(&path).expect("article");
    let text = text
        .replacen("difficulty: ", "difficulty: expertish # was: ", 1)
        .replacen("related: [", "related: [concurrency/counter-rase, ", 1);
    fs::write(&path, text).expect("write");
    dir
}

#[test]
fn a_clean_catalog_exits_zero_and_says_so() {
    let dir = copy_tree(&bundled_catalog());
    let output = run(dir.path(), &["lint"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(stdout(&output), "All checks passed! (44 files checked)\n");
}

#[test]
fn findings_exit_one_with_full_diagnostics() {
    let dir = broken_catalog();
    let output = run(dir.path(), &["lint"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn exit_zero_and_statistics() {
    let dir = broken_catalog();
    let output = run(dir.path(), &["lint", "--exit-zero", "--statistics"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "1\tF004\t    value-not-in-vocabulary\n1\tR001\t    unknown-reference\n"
    );
}

#[test]
fn usage_and_io_errors_exit_two() {
    let dir = copy_tree(&bundled_catalog());
    let missing = run(dir.path(), &["lint", "no/such/file.md"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("does not exist"),
        "{}",
        stderr(&missing)
    );
    let bad_flag = run(dir.path(), &["lint", "--no-such-flag"]);
    assert_eq!(bad_flag.status.code(), Some(2));
    fs::write(dir.path().join("catalog.toml"), "[catalog]\ninclude = 3\n").expect("write");
    let bad_config = run(dir.path(), &["lint"]);
    assert_eq!(bad_config.status.code(), Some(2));
    assert!(
        stderr(&bad_config).contains("catalog.toml:2:11:"),
        "{}",
        stderr(&bad_config)
    );
}

#[test]
fn machine_formats_carry_codes_and_positions() {
    let dir = broken_catalog();
    let json = run(dir.path(), &["lint", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    let first = &findings[0];
    assert_eq!(first["code"], "F004");
    assert_eq!(first["name"], "value-not-in-vocabulary");
    assert_eq!(first["filename"], "concurrency/double-booking.md");
    assert!(first["location"]["row"].as_u64().is_some_and(|row| row > 1));

    let sarif = run(dir.path(), &["lint", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("valid SARIF JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let index = results[0]["ruleIndex"].as_u64().expect("rule index") as usize;
    assert_eq!(rules[index]["id"], results[0]["ruleId"]);

    let github = catalog(dir.path())
        .args(["lint"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .expect("runs");
    let text = stdout(&github);
    assert!(
        text.starts_with(
            "::error title=F004 value-not-in-vocabulary,file=concurrency/double-booking.md,line="
        ),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2);
}

#[test]
fn only_given_paths_are_reported_but_references_see_the_whole_tree() {
    let dir = broken_catalog();
    let other = run(dir.path(), &["lint", "availability/retry-storm.md"]);
    assert_eq!(other.status.code(), Some(0), "{}", stdout(&other));
    assert_eq!(stdout(&other), "All checks passed! (1 file checked)\n");
    let broken = run(
        dir.path(),
        &[
            "lint",
            "--format",
            "concise",
            "concurrency/double-booking.md",
        ],
    );
    assert_eq!(broken.status.code(), Some(1));
    let text = stdout(&broken);
    assert!(
        text.contains("R001 [unknown-reference] `related` names `concurrency/counter-rase`"),
        "{text}"
    );
    // Valid references to records outside the given path are not reported.
    assert!(
        !text.contains("concurrency/double-charge-payment"),
        "{text}"
    );
}

#[test]
fn rule_explains_by_code_or_name() {
    let dir = copy_tree(&bundled_catalog());
    let by_code = stdout(&run(dir.path(), &["rule", "R004"]));
    let by_name = stdout(&run(dir.path(), &["rule", "reverse-field-out-of-sync"]));
    assert_eq!(by_code, by_name);
    for section in [
        "# reverse-field-out-of-sync (R004)",
        "## What it does",
        "## Why is this bad?",
        "## Example",
    ] {
        assert!(by_code.contains(section), "{by_code}");
    }
    assert_eq!(run(dir.path(), &["rule", "Z999"]).status.code(), Some(2));
    let all = stdout(&run(dir.path(), &["rule", "--all"]));
    assert_eq!(all.lines().count(), catalog_indexer::rules::RULES.len());
}

#[test]
fn new_writes_a_skeleton_that_lint_flags_until_filled() {
    let dir = copy_tree(&bundled_catalog());
    let created = run(dir.path(), &["new", "availability", "brownout"]);
    assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
    let path = dir.path().join("availability/brownout.md");
    assert!(path.exists());
    let lint = run(
        dir.path(),
        &["lint", "--format", "concise", "availability/brownout.md"],
    );
    assert_eq!(lint.status.code(), Some(1));
    let text = stdout(&lint);
    assert!(text.contains("S008 [placeholder-text]"), "{text}");
    // The skeleton follows the template: no structure findings other than placeholders.
    for code in ["S001", "S002", "S005", "S006"] {
        assert!(!text.contains(code), "{code} in {text}");
    }
    let again = run(dir.path(), &["new", "availability", "brownout"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
    let typo = run(dir.path(), &["new", "availabilty", "x"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("did you mean `availability`?"),
        "{}",
        stderr(&typo)
    );
}

#[test]
fn fix_and_diff_normalise_tags_without_losing_content() {
    let dir = copy_tree(&bundled_catalog());
    let path = dir.path().join("availability/retry-storm.md");
    let original = fs::read_to_string(&path).expect("article");
    let tags_line = original
        .lines()
        .find(|line| line.starts_with("tags: "))
        .expect("tags line")
        .to_string();
    let messy = original.replacen(&tags_line, "tags: [Timeouts, retries, Retry, jitter]", 1);
    fs::write(&path, &messy).expect("write");

    let diff = run(dir.path(), &["lint", "--diff"]);
    assert_eq!(diff.status.code(), Some(1));
    assert!(
        stdout(&diff).contains(
            "-tags: [Timeouts, retries, Retry, jitter]\n+tags: [jitter, retries, timeouts]\n"
        ),
        "{}",
        stdout(&diff)
    );
    assert_eq!(
        fs::read_to_string(&path).expect("article"),
        messy,
        "--diff must not write"
    );

    let fixed = run(dir.path(), &["lint", "--fix"]);
    assert_eq!(fixed.status.code(), Some(0), "{}", stdout(&fixed));
    let after = fs::read_to_string(&path).expect("article");
    assert_eq!(
        after,
        messy.replacen(
            "tags: [Timeouts, retries, Retry, jitter]",
            "tags: [jitter, retries, timeouts]",
            1
        )
    );
}

#[test]
fn suppressions_hide_findings_and_unused_ones_are_reported() {
    let dir = copy_tree(&bundled_catalog());
    let path = dir.path().join("availability/split-brain.md");
    let text = fs::read_to_string(&path).expect("article");
    let text = text.replacen(
        "## The Scenario\n",
        "## The Scenario\n\n<!-- catalog-lint-disable-next-line R002 -- kept for a test -->\nSee [the old page](/availability/old-name).\n\n<!-- catalog-lint-disable-next-line broken-anchor -->\nNothing to hide here.\n",
        1,
    );
    fs::write(&path, text).expect("write");
    let output = run(dir.path(), &["lint", "--format", "concise"]);
    let text = stdout(&output);
    assert!(!text.contains("R002"), "{text}");
    assert!(
        text.contains("L001 [unused-suppression] suppression of `broken-anchor` hides no finding"),
        "{text}"
    );
    assert_eq!(output.status.code(), Some(0), "warnings alone pass");
    assert_eq!(
        run(dir.path(), &["lint", "--deny-warnings"]).status.code(),
        Some(1)
    );
}

#[test]
fn search_indexes_on_first_use_then_index_is_incremental_and_show_prints_a_record() {
    let dir = copy_tree(&bundled_catalog());
    let first = run(
        dir.path(),
        &[
            "search",
            "max connections reached on the database server",
            "--format",
            "json",
        ],
    );
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stderr(&first).contains("indexing"), "{}", stderr(&first));
    let json: serde_json::Value = serde_json::from_slice(&first.stdout).expect("JSON");
    assert_eq!(
        json["hits"][0]["id"],
        "scalability/connection-pool-exhausted"
    );
    assert!(json["total"].as_u64().is_some_and(|total| total > 0));
    assert!(json["facets"]["category"].is_object());

    let again = run(dir.path(), &["index"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        stdout(&again).contains("(0 of 44 files parsed, 0 removed)"),
        "{}",
        stdout(&again)
    );

    let text = stdout(&run(
        dir.path(),
        &["search", "breaker stays open forever", "--limit", "3"],
    ));
    assert!(text.starts_with(" 1. "), "{text}");
    assert!(
        text.contains("availability/circuit-breaker-failure"),
        "{text}"
    );

    let shown = run(dir.path(), &["show", "split-brain"]);
    assert_eq!(shown.status.code(), Some(0));
    let shown = stdout(&shown);
    for part in [
        "availability/split-brain",
        "Symptoms",
        "Approaches",
        "The Core Idea:",
        "The Trade-off:",
        "Detection & Monitoring",
        "How to Recover",
    ] {
        assert!(shown.contains(part), "{part} missing from:\n{shown}");
    }
    let missing = run(dir.path(), &["show", "no-such-problem"]);
    assert_eq!(missing.status.code(), Some(2));

    let stats = run(dir.path(), &["stats"]);
    assert_eq!(stats.status.code(), Some(0), "{}", stderr(&stats));
    let stats = stdout(&stats);
    assert!(
        stats.starts_with("44 problems documented of 1000 targeted (4.4 %)"),
        "{stats}"
    );
    assert!(stats.contains("Concurrency"), "{stats}");
    let json = run(dir.path(), &["stats", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(json["problems"], 44);
    assert_eq!(json["categories"].as_array().map(Vec::len), Some(7));
}

#[cfg(unix)]
#[test]
fn links_out_of_the_catalog_are_reported_and_never_read() {
    let dir = copy_tree(&bundled_catalog());
    let outside = tempfile::tempdir().expect("outside folder");
    let secret = outside.path().join("secret.md");
    let article = fs::read_to_string(dir.path().join("availability/retry-storm.md"))
        .expect("article")
        .replace("Retry Storm", "Zanzibarquux Leak");
    fs::write(&secret, article).expect("write");
    std::os::unix::fs::symlink(&secret, dir.path().join("availability/leak.md")).expect("link");
    std::os::unix::fs::symlink(
        outside.path().join("missing.md"),
        dir.path().join("availability/dangling.md"),
    )
    .expect("link");
    // A link that stays inside the catalog is an ordinary file.
    std::os::unix::fs::symlink(
        dir.path().join("availability/retry-storm.md"),
        dir.path().join("availability/inside.md"),
    )
    .expect("link");

    let lint = run(dir.path(), &["lint", "--format", "concise"]);
    let text = stdout(&lint);
    assert_eq!(lint.status.code(), Some(1), "{text}{}", stderr(&lint));
    assert!(text.contains("availability/leak.md:1:1: X004"), "{text}");
    assert!(
        text.contains("availability/dangling.md:1:1: X004"),
        "{text}"
    );
    assert!(!text.contains("inside.md:1:1: X004"), "{text}");
    assert!(!text.contains("Zanzibarquux"), "{text}");

    let index = run(dir.path(), &["index"]);
    assert_eq!(index.status.code(), Some(0), "{}", stderr(&index));
    let search = run(dir.path(), &["search", "zanzibarquux", "--format", "json"]);
    let found: serde_json::Value = serde_json::from_slice(&search.stdout).expect("json");
    assert_eq!(found["total"], 0, "{found}");
}

#[test]
fn a_new_users_search_and_show() {
    let dir = copy_tree(&bundled_catalog());
    let root = dir.path();
    // Words as separate arguments, options after them, `-word` after `--`.
    let words = run(
        root,
        &[
            "search", "retry", "storm", "--limit", "1", "--format", "json",
        ],
    );
    assert_eq!(words.status.code(), Some(0), "{}", stderr(&words));
    let json: serde_json::Value = serde_json::from_slice(&words.stdout).expect("JSON");
    assert_eq!(json["hits"][0]["id"], "availability/retry-storm");
    assert_eq!(json["hits"].as_array().map(Vec::len), Some(1));
    let excluded = run(
        root,
        &["search", "--format", "json", "--", "retry", "-storm"],
    );
    let json: serde_json::Value = serde_json::from_slice(&excluded.stdout).expect("JSON");
    assert!(
        json["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .all(|hit| hit["id"] != "availability/retry-storm"),
        "{json}"
    );

    // `-` reads a pasted log line from standard input.
    let mut child = catalog(root)
        .args(["search", "-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(b"FATAL: sorry, too many clients already\n")
            .expect("write");
    }
    let piped = child.wait_with_output().expect("runs");
    assert_eq!(piped.status.code(), Some(0), "{}", stderr(&piped));
    let json: serde_json::Value = serde_json::from_slice(&piped.stdout).expect("JSON");
    assert_eq!(
        json["hits"][0]["id"],
        "scalability/connection-pool-exhausted"
    );

    // A filter value no problem has is an error that lists the values there are.
    let unknown = run(root, &["search", "retry", "--category", "availabilty"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("no problem has category `availabilty`; known: availability,"),
        "{}",
        stderr(&unknown)
    );
    // No hits under filters: the message names them.
    let none = run(root, &["search", "zzqqxx", "--category", "availability"]);
    assert_eq!(none.status.code(), Some(0));
    assert_eq!(
        stdout(&none),
        "No problem matches `zzqqxx` with category=availability.\n"
    );

    // An article edited after indexing: search notices and re-indexes first.
    let article = root.join("availability/split-brain.md");
    common::append(&article, "\nA quokkaflux marker added after indexing.\n");
    let stale = run(root, &["search", "quokkaflux", "--format", "json"]);
    assert!(stderr(&stale).contains("out of date"), "{}", stderr(&stale));
    let json: serde_json::Value = serde_json::from_slice(&stale.stdout).expect("JSON");
    assert_eq!(json["hits"][0]["id"], "availability/split-brain");

    // Colour on request only.
    let coloured = stdout(&run(root, &["--color", "always", "search", "split brain"]));
    assert!(coloured.contains("\u{1b}[1m"), "{coloured}");
    let plain = stdout(&run(root, &["--color", "never", "search", "split brain"]));
    assert!(!plain.contains('\u{1b}'), "{plain}");

    // Impact reaches show (text and JSON) and stats.
    let shown = run(root, &["show", "retry-storm", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("JSON");
    assert_eq!(
        json["impact"],
        serde_json::json!(["downtime", "degraded-performance"])
    );
    assert!(
        stdout(&run(root, &["show", "retry-storm"]))
            .contains("impact: downtime, degraded-performance")
    );
    let stats = run(root, &["stats", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&stats.stdout).expect("JSON");
    assert!(
        json["by_impact"]["downtime"]
            .as_u64()
            .is_some_and(|n| n > 0),
        "{json}"
    );

    // show prints incidents with their sources, who links here and similar problems.
    let shown = stdout(&run(root, &["show", "thundering-herd"]));
    for part in [
        "Incidents",
        "https://",
        "Linked from: ",
        "Similar: ",
        // The detection section's queries, as written.
        "    ```promql",
    ] {
        assert!(shown.contains(part), "{part} missing from:\n{shown}");
    }
}

#[test]
fn a_catalog_folder_without_catalog_toml_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("note.md"), "# A note\n").expect("write");
    let out = run(dir.path(), &["--catalog", ".", "search", "note"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no catalog.toml: run `catalog init .`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn fix_reports_how_many_findings_it_resolved() {
    let dir = copy_tree(&bundled_catalog());
    let root = dir.path();
    // Two unsorted, unnormalised tag lists and a reverse list out of sync: several findings,
    // some repaired by one edit.
    let path = root.join("concurrency/double-booking.md");
    let text = fs::read_to_string(&path).expect("article");
    let text = text.replacen("tags: [", "tags: [Zeta_Tag, Alpha Tag, ", 1);
    fs::write(&path, text).expect("write");
    let count = |root: &Path| {
        let out = run(root, &["lint", "--format", "json", "--exit-zero"]);
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .expect("JSON")
            .as_array()
            .map_or(0, Vec::len)
    };
    let before = count(root);
    let fixed = stdout(&run(root, &["lint", "--fix", "--exit-zero"]));
    let after = count(root);
    assert!(before > after, "{before} {after}\n{fixed}");
    let resolved = before - after;
    assert!(
        fixed.contains(&format!("Fixed {resolved} finding")),
        "{before} before, {after} after:\n{fixed}"
    );
}

#[test]
fn triage_reads_a_piped_log_and_chain_follows_causes() {
    use std::io::Write;
    use std::process::Stdio;
    let dir = copy_tree(&bundled_catalog());
    let root = dir.path();
    // `catalog triage ARGS` with `log` piped to it.
    let piped = |args: &[&str], log: &[u8]| {
        let mut child = catalog(root)
            .arg("triage")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(log)
            .expect("write the log");
        child.wait_with_output().expect("triage ends")
    };
    let output = piped(
        &[
            "--ruled-out",
            "the database refuses new connections",
            "--format",
            "json",
        ],
        b"2024-06-11 08:14:59 WARN  HikariPool-1 - Connection is not available, request timed out after 30001ms.\n2024-06-11 08:14:59 WARN  HikariPool-1 - Connection is not available, request timed out after 30002ms.\n\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)\n",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        json["candidates"][0]["id"],
        "performance/connection-pool-starvation"
    );
    assert_eq!(json["candidates"][0]["matched_lines"][0]["count"], 2);
    assert_eq!(json["lines"]["templates"], 1);

    // One message in two shapes (the framework's line and the exception's own) is one match,
    // and when no answer could reorder the candidates the checks are offered as confirmation.
    let output = piped(&[], b"2024-03-01 10:21:44.902 ERROR 1 --- [nio-8080-exec-7] o.h.engine.jdbc.spi.SqlExceptionHelper   : HikariPool-1 - Connection is not available, request timed out after 30000ms.\njava.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n2024-03-01 10:21:45.003 ERROR 1 --- [nio-8080-exec-3] o.h.engine.jdbc.spi.SqlExceptionHelper   : HikariPool-1 - Connection is not available, request timed out after 30001ms.\n");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.matches("      matches: ").count(), 1, "{text}");
    assert!(text.contains("(3 lines like it)"), "{text}");
    assert!(text.contains("To confirm it"), "{text}");

    let text = run(
        root,
        &[
            "triage",
            "--observed",
            "the service restarts every few hours",
        ],
    );
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    assert!(
        stdout(&text).contains("performance/memory-leak"),
        "{}",
        stdout(&text)
    );
    assert!(stdout(&text).contains("Next checks"), "{}", stdout(&text));
    assert!(
        !stdout(&text).contains("finding by finding"),
        "{}",
        stdout(&text)
    );

    // --explain: each candidate's score, finding by finding. Ruling out the heap error rules
    // the memory leak out (it is that problem's signature, word for word), so it falls to the
    // end of the list, and every candidate is listed.
    let explained = run(
        root,
        &[
            "triage",
            "--explain",
            "--limit",
            "50",
            "--observed",
            "the service restarts every few hours",
            "--ruled-out",
            "java.lang.OutOfMemoryError: Java heap space",
        ],
    );
    assert_eq!(explained.status.code(), Some(0), "{}", stderr(&explained));
    let text = stdout(&explained);
    assert!(text.contains("finding by finding:"), "{text}");
    assert!(
        text.contains("observed: the service restarts every few hours  (match "),
        "{text}"
    );
    assert!(
        text.contains(
            "ruled out: java.lang.OutOfMemoryError: Java heap space  (match 1.00, rules it out)"
        ),
        "{text}"
    );

    let nothing = catalog(root)
        .arg("triage")
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(nothing.status.code(), Some(2));
    assert!(
        stderr(&nothing).contains("nothing to triage"),
        "{}",
        stderr(&nothing)
    );

    let chain = run(root, &["chain", "retry-storm", "--down", "--depth", "2"]);
    assert_eq!(chain.status.code(), Some(0), "{}", stderr(&chain));
    let text = stdout(&chain);
    assert!(text.contains("→ Cascading Failure"), "{text}");
    assert!(text.contains("(cycle: already shown)"), "{text}");
    assert!(!text.contains("Caused by"), "{text}");
    let missing = run(root, &["chain", "no-such-problem"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn triage_reads_named_log_files_as_one_log() {
    let dir = copy_tree(&bundled_catalog());
    let root = dir.path();
    let logs = tempfile::tempdir().expect("tempdir");
    // The first log's last line has no line break: it must not run into the second's first.
    let pool = logs.path().join("app.log");
    std::fs::write(
        &pool,
        "2024-06-11 08:14:59 WARN  HikariPool-1 - Connection is not available, request timed out after 30001ms.",
    )
    .expect("write a log");
    let db = logs.path().join("db.log");
    std::fs::write(
        &db,
        "2024-06-11 08:15:02 UTC [4121] ERROR:  deadlock detected\n",
    )
    .expect("write a log");
    let arg = |path: &std::path::Path| path.to_string_lossy().into_owned();
    let output = run(
        root,
        &["triage", &arg(&pool), &arg(&db), "--format", "json"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["lines"]["read"], 2, "{json}");
    assert_eq!(json["lines"]["matched"], 2, "{json}");
    let ids: Vec<&str> = json["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"performance/connection-pool-starvation"),
        "{ids:?}"
    );
    assert!(ids.contains(&"concurrency/database-deadlock"), "{ids:?}");

    // A log that cannot be read, or a folder, is an error that names it.
    let missing = logs.path().join("missing.log");
    let output = run(root, &["triage", &arg(&missing)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot read the log") && stderr(&output).contains("missing.log"),
        "{}",
        stderr(&output)
    );
    let output = run(root, &["triage", &arg(logs.path())]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is a folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn triage_says_when_no_candidate_explains_what_was_observed() {
    let dir = copy_tree(&bundled_catalog());
    let root = dir.path();
    let observed = "memory climbs steadily until the container is killed";
    let note = "None of these explains what you pasted or observed";
    let triage = |ruled_out: &[&str]| {
        let mut args = vec!["triage", "--observed", observed, "--limit", "3"];
        args.extend(ruled_out.iter().flat_map(|r| ["--ruled-out", *r]));
        let output = run(root, &args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let text = triage(&[]);
    assert!(text.contains("performance/memory-leak"), "{text}");
    assert!(!text.contains(note), "{text}");
    // The engineer ruled out the one problem that fits: what is left only shares words.
    let text = triage(&["a memory leak"]);
    assert!(text.contains(note), "{text}");
    assert!(!text.contains("performance/memory-leak"), "{text}");
}
