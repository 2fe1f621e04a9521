//! Triage against plain search on the same cases, over the bundled catalog.
//!
//! Run with `cargo bench -p catalog-indexer --bench triage` (add `--verbose` for each case, and
//! `--set NAME` for only the sets whose file name holds NAME, without the timings).
//! Cases are in `tests/triage/`:
//! - `log-lines.tsv`, `log-lines-second.tsv` (gathered after the first was tuned on; its first
//!   run led to fixes), `log-lines-third.tsv` (gathered after those, not tuned on) and
//!   `log-lines-fourth.tsv` (common messages of common software, gathered later; its first run
//!   led to fixes), `log-lines-fifth.tsv` (gathered after those, not tuned on),
//!   `log-lines-sixth.tsv` (messages no signature words; its one miss led to a normaliser fix),
//!   `log-lines-seventh.tsv` (common software the others missed; its misses led to content) and
//!   `log-lines-eighth.tsv` (gathered after that content, not tuned on),
//!   `log-lines-ninth.tsv` (other common software; its misses led to content),
//!   `log-lines-tenth.tsv` (gathered after that: Oracle, SQL Server, .NET and others; its
//!   misses led to content), `log-lines-eleventh.tsv` (gathered after that content; its one
//!   miss led to a shorter signature), `log-lines-twelfth.tsv` (frameworks the others did
//!   not draw on; its misses led to content), `log-lines-thirteenth.tsv` (workers killed
//!   for memory; its misses led to content), `log-lines-fourteenth.tsv` (client pools and a
//!   spill to disk; its miss led to content) and `log-lines-fifteenth.tsv` (Azure SQL's request
//!   limit, Service Bus's lost lock; its misses led to content): real log lines, each pasted alone; triage against
//!   `catalog search` with the same line.
//! - `observations.tsv`, `observations-second.tsv` (written after the first was tuned on, one set
//!   per problem), `observations-third.tsv` (written after the fixes the second prompted, not
//!   tuned on), `observations-fourth.tsv` to `observations-seventh.tsv` (each written after the
//!   round before, not tuned on; the seventh in pairs told apart by a ruled-out statement) and
//!   `observations-eighth.tsv` (as the first engineer on the call sums up; its first run led
//!   to the joint search weighing more):
//!   observed and ruled-out statements; triage against a search for the observed statements
//!   (a search cannot rule anything out).
//! - Later sets, up to `log-lines-fifty-first.tsv` and `observations-thirty-fifth.tsv`, say in
//!   their own header when and why they were gathered, their first run and what it led to.
//! - `complaints.tsv`, `complaints-rephrased.tsv` (written after the first was tuned on),
//!   `complaints-third.tsv` (a support lead's words, written later) and `complaints-fourth.tsv`
//!   (a customer-success manager's one sentence, run once):
//!   one vague complaint per problem; then three suggested next checks are answered
//!   truthfully (yes when the problem lists the symptom) and the rank is read again.
//!
//! - Every log-line set again, against a copy of the catalog without its signatures (nor a
//!   symptom that quotes one): how triage does on a message of software no article quotes
//!   yet, where only the search can find the problem (`--set unquoted` runs only this).
//!
//! Then the time to triage a 1 MiB, 10,000-line log (median of runs, in-process), and two worst
//! cases: every line a distinct message, and every line a long run of signature words.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

// The integration tests' helpers: the bench indexes a catalog folder as they do.
#[path = "../tests/common/mod.rs"]
mod common;

use catalog_indexer::search::{SearchEngine, SearchRequest};
use catalog_indexer::store::open_generation;
use catalog_indexer::triage::{TriageModel, TriageRequest};

/// The allocator the `catalog` binary uses, so that the timings are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The log-line sets gathered after `log-lines.tsv`, in the order they were gathered.
const LOG_LINE_SETS: &[&str] = &[
    "log-lines-second.tsv",
    "log-lines-third.tsv",
    "log-lines-fourth.tsv",
    "log-lines-fifth.tsv",
    "log-lines-sixth.tsv",
    "log-lines-seventh.tsv",
    "log-lines-eighth.tsv",
    "log-lines-ninth.tsv",
    "log-lines-tenth.tsv",
    "log-lines-eleventh.tsv",
    "log-lines-twelfth.tsv",
    "log-lines-thirteenth.tsv",
    "log-lines-fourteenth.tsv",
    "log-lines-fifteenth.tsv",
    "log-lines-sixteenth.tsv",
    "log-lines-seventeenth.tsv",
    "log-lines-eighteenth.tsv",
    "log-lines-nineteenth.tsv",
    "log-lines-twentieth.tsv",
    "log-lines-twenty-first.tsv",
    "log-lines-twenty-second.tsv",
    "log-lines-twenty-third.tsv",
    "log-lines-twenty-fourth.tsv",
    "log-lines-twenty-fifth.tsv",
    "log-lines-twenty-sixth.tsv",
    "log-lines-twenty-seventh.tsv",
    "log-lines-twenty-eighth.tsv",
    "log-lines-twenty-ninth.tsv",
    "log-lines-thirtieth.tsv",
    "log-lines-thirty-first.tsv",
    "log-lines-thirty-second.tsv",
    "log-lines-thirty-third.tsv",
    "log-lines-thirty-fourth.tsv",
    "log-lines-thirty-fifth.tsv",
    "log-lines-thirty-sixth.tsv",
    "log-lines-thirty-seventh.tsv",
    "log-lines-thirty-eighth.tsv",
    "log-lines-thirty-ninth.tsv",
    "log-lines-fortieth.tsv",
    "log-lines-forty-first.tsv",
    "log-lines-forty-second.tsv",
    "log-lines-forty-third.tsv",
    "log-lines-forty-fourth.tsv",
    "log-lines-forty-sixth.tsv",
    "log-lines-forty-fifth.tsv",
    "log-lines-forty-seventh.tsv",
    "log-lines-forty-eighth.tsv",
    "log-lines-forty-ninth.tsv",
    "log-lines-fiftieth.tsv",
    "log-lines-fifty-first.tsv",
    "log-lines-fifty-second.tsv",
    "log-lines-fifty-third.tsv",
    "log-lines-fifty-fourth.tsv",
    "log-lines-fifty-fifth.tsv",
];

/// Rank (1-based) of `expected` in `ids`, if among the first ten.
/// The observation sets, in the order they were written; the first was tuned on.
const OBSERVATION_SETS: &[&str] = &[
    "observations.tsv",
    "observations-second.tsv",
    "observations-third.tsv",
    "observations-fourth.tsv",
    "observations-fifth.tsv",
    "observations-sixth.tsv",
    "observations-seventh.tsv",
    "observations-eighth.tsv",
    "observations-ninth.tsv",
    "observations-tenth.tsv",
    "observations-eleventh.tsv",
    "observations-twelfth.tsv",
    "observations-thirteenth.tsv",
    "observations-fourteenth.tsv",
    "observations-fifteenth.tsv",
    "observations-sixteenth.tsv",
    "observations-seventeenth.tsv",
    "observations-eighteenth.tsv",
    "observations-nineteenth.tsv",
    "observations-twentieth.tsv",
    "observations-twenty-first.tsv",
    "observations-twenty-second.tsv",
    "observations-twenty-third.tsv",
    "observations-twenty-fourth.tsv",
    "observations-twenty-fifth.tsv",
    "observations-twenty-sixth.tsv",
    "observations-twenty-seventh.tsv",
    "observations-twenty-eighth.tsv",
    "observations-twenty-ninth.tsv",
    "observations-thirtieth.tsv",
    "observations-thirty-first.tsv",
    "observations-thirty-second.tsv",
    "observations-thirty-third.tsv",
    "observations-thirty-fourth.tsv",
    "observations-thirty-sixth.tsv",
    "observations-thirty-fifth.tsv",
    "observations-thirty-seventh.tsv",
    "observations-thirty-eighth.tsv",
    "observations-thirty-ninth.tsv",
    "observations-fortieth.tsv",
    "observations-forty-first.tsv",
    "observations-forty-second.tsv",
    "observations-forty-third.tsv",
    "observations-forty-fourth.tsv",
    "observations-forty-fifth.tsv",
    "observations-forty-sixth.tsv",
    "observations-forty-seventh.tsv",
    "observations-forty-eighth.tsv",
    "observations-forty-ninth.tsv",
    "observations-fiftieth.tsv",
    "observations-fifty-first.tsv",
    "observations-fifty-second.tsv",
    "observations-fifty-third.tsv",
    "observations-fifty-fourth.tsv",
    "observations-fifty-fifth.tsv",
    "observations-fifty-sixth.tsv",
    "observations-fifty-seventh.tsv",
    "observations-fifty-eighth.tsv",
    "observations-fifty-ninth.tsv",
    "observations-sixtieth.tsv",
    "observations-sixty-first.tsv",
    "observations-sixty-second.tsv",
    "observations-sixty-third.tsv",
    "observations-sixty-fourth.tsv",
    "observations-sixty-fifth.tsv",
    "observations-sixty-sixth.tsv",
    "observations-sixty-seventh.tsv",
    "observations-sixty-eighth.tsv",
    "observations-sixty-ninth.tsv",
    "observations-seventieth.tsv",
    "observations-seventy-first.tsv",
];

/// Lists of the names people use for each problem, for [`named_rule_outs`].
const RULE_OUT_NAMES: &[&str] = &["rule-outs.tsv", "rule-outs-second.tsv"];

fn rank(ids: &[String], expected: &str) -> Option<usize> {
    ids.iter()
        .take(10)
        .position(|id| id == expected)
        .map(|i| i + 1)
}

#[derive(Default)]
struct Score {
    cases: usize,
    first: usize,
    top3: usize,
    reciprocal: f64,
}

impl Score {
    fn add(&mut self, rank: Option<usize>) {
        self.cases += 1;
        if let Some(rank) = rank {
            self.first += usize::from(rank == 1);
            self.top3 += usize::from(rank <= 3);
            self.reciprocal += 1.0 / rank as f64;
        }
    }

    fn line(&self, name: &str) -> String {
        let n = self.cases.max(1) as f64;
        format!(
            "{name:<16} top-1 {:>5.1}%  top-3 {:>5.1}%  MRR@10 {:.3}  ({} cases)",
            100.0 * self.first as f64 / n,
            100.0 * self.top3 as f64 / n,
            self.reciprocal / n,
            self.cases
        )
    }
}

fn rows(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.split('\t').map(str::to_string).collect())
        .collect()
}

fn statements(cell: Option<&String>) -> Vec<String> {
    cell.map(|cell| {
        cell.split(" ; ")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

fn search_ids(engine: &SearchEngine, q: &str) -> Vec<String> {
    engine
        .search(&SearchRequest {
            q: q.chars().take(900).collect(),
            limit: 10,
            ..SearchRequest::default()
        })
        .map(|response| response.hits.into_iter().map(|hit| hit.id).collect())
        .unwrap_or_default()
}

fn triage_ids(model: &TriageModel, engine: &SearchEngine, request: &TriageRequest) -> Vec<String> {
    model
        .triage(request, Some(engine))
        .expect("triage")
        .candidates
        .into_iter()
        .map(|candidate| candidate.id)
        .collect()
}

/// A log of `lines` lines shaped like a service's: request logs with varying ids, paths and
/// times, a few warnings, errors from the cases, and stack traces.
fn big_log(cases: &[Vec<String>], lines: usize) -> String {
    let mut out = String::with_capacity(lines * 110);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let paths = [
        "/api/v1/orders",
        "/api/v1/cart/items",
        "/healthz",
        "/api/v1/search",
        "/login",
    ];
    let mut written = 0;
    while written < lines {
        let r = next();
        let time = format!(
            "2026-11-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            1 + r % 28,
            r % 24,
            (r >> 8) % 60,
            (r >> 16) % 60,
            (r >> 24) % 1000
        );
        match r % 100 {
            0..=84 => {
                out.push_str(&format!(
                    "{time} INFO [exec-{}] {} {} {} {}ms trace={:012x} user={}\n",
                    r % 200,
                    if r.is_multiple_of(3) { "POST" } else { "GET" },
                    paths[(r % 5) as usize],
                    if r.is_multiple_of(17) { 404 } else { 200 },
                    r % 900,
                    next() >> 16,
                    r % 100_000
                ));
                written += 1;
            }
            85..=94 => {
                out.push_str(&format!(
                    "{time} WARN  [scheduler-{}] c.e.jobs.Reconciler : batch {} took {}ms, {} rows behind\n",
                    r % 8,
                    r % 10_000,
                    1000 + r % 9000,
                    r % 500
                ));
                written += 1;
            }
            _ => {
                let case = &cases[(r % cases.len() as u64) as usize][0];
                out.push_str(&format!("{time} ERROR [worker-{}] {case}\n", r % 16));
                out.push_str("\tat com.example.Service.handle(Service.java:42)\n\tat com.example.Worker.run(Worker.java:7)\n\t... 12 more\n");
                written += 4;
            }
        }
    }
    out
}

/// From one vague complaint per case, three next checks answered truthfully (yes when the
/// problem lists the symptom).
fn complaints(model: &TriageModel, engine: &SearchEngine, path: &Path, verbose: bool) {
    println!(
        "one vague complaint ({}), then three next checks answered truthfully",
        file_name(path)
    );
    let (mut start, mut after, mut search) = (Score::default(), Score::default(), Score::default());
    let mut together = Score::default();
    for row in rows(path) {
        let (complaint, expected) = (&row[0], &row[1]);
        let Some(target) = model.problem_index(expected) else {
            panic!("{} names no problem `{expected}`", path.display());
        };
        let mut request = TriageRequest {
            observed: vec![complaint.clone()],
            limit: Some(10),
            ..TriageRequest::default()
        };
        start.add(rank(&triage_ids(model, engine, &request), expected));
        search.add(rank(&search_ids(engine, complaint), expected));
        let mut answers = Vec::new();
        for _ in 0..3 {
            let response = model.triage(&request, Some(engine)).expect("triage");
            let Some(check) = response.next_checks.first() else {
                break;
            };
            if model.lists_symptom(target, &check.symptom) {
                request.observed.push(check.symptom.clone());
                answers.push(format!("yes: {}", check.symptom));
            } else {
                request.ruled_out.push(check.symptom.clone());
                answers.push(format!("no: {}", check.symptom));
            }
        }
        let r = rank(&triage_ids(model, engine, &request), expected);
        // The three checks of the first answer, all answered at once.
        let mut at_once = TriageRequest {
            observed: vec![complaint.clone()],
            limit: Some(10),
            ..TriageRequest::default()
        };
        let first = model.triage(&at_once, Some(engine)).expect("triage");
        for check in &first.next_checks {
            if model.lists_symptom(target, &check.symptom) {
                at_once.observed.push(check.symptom.clone());
            } else {
                at_once.ruled_out.push(check.symptom.clone());
            }
        }
        together.add(rank(&triage_ids(model, engine, &at_once), expected));
        if verbose {
            println!(
                "  after {r:?} ({})  {expected}  {complaint}",
                answers.join(" | ")
            );
        }
        after.add(r);
    }
    println!("  {}", start.line("complaint only"));
    println!("  {}", after.line("after 3 checks"));
    println!("  {}", together.line("checks at once"));
    println!("  {}\n", search.line("catalog search"));
}

/// Indexes the catalog at `root` into a temporary data folder (returned with what reads it:
/// the engine and model read from it) and opens its search engine and triage model.
async fn indexed(root: &Path) -> (tempfile::TempDir, SearchEngine, TriageModel) {
    let (config, summary, data) = common::index_catalog(root).await;
    let engine = SearchEngine::open(&summary.generation, &config)
        .await
        .expect("open the index");
    let pool = open_generation(&summary.generation)
        .await
        .expect("database");
    let model = TriageModel::load(&pool).await.expect("triage model");
    (data, engine, model)
}

/// Every log-line set against a copy of the catalog with no signatures, nor a symptom that
/// quotes one word for word: how triage does on messages of software no article quotes.
async fn unquoted(catalog: &Path, cases_dir: &Path, verbose: bool) {
    let copy = tempfile::tempdir().expect("temporary catalog");
    copy_without_signatures(catalog, copy.path());
    let (_data, engine, model) = indexed(copy.path()).await;
    println!(
        "pasted log lines, every set, no article quoting them ({} signatures)",
        model.signature_count()
    );
    let (mut triage, mut search) = (Score::default(), Score::default());
    for file in std::iter::once("log-lines.tsv").chain(LOG_LINE_SETS.iter().copied()) {
        for row in rows(&cases_dir.join(file)) {
            // Only the lines not put first: the whole list is the sets' own section's.
            let (t, s) = line_ranks(&model, &engine, &row[0], &row[1], |t| {
                verbose && t != Some(1)
            });
            triage.add(t);
            search.add(s);
        }
    }
    println!("  {}", triage.line("catalog triage"));
    println!("  {}\n", search.line("catalog search"));
}

/// Copies the catalog at `from` to `to`, leaving out every article's `signatures` and any
/// symptom whose text is one of them.
fn copy_without_signatures(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read the catalog") {
        let entry = entry.expect("catalog entry");
        let target = to.join(entry.file_name());
        let path = entry.path();
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("create a folder");
            copy_without_signatures(&path, &target);
        } else if path.extension().is_some_and(|ext| ext == "md") {
            let text = std::fs::read_to_string(&path).expect("read an article");
            std::fs::write(&target, strip_signatures(&text)).expect("write an article");
        } else {
            std::fs::copy(&path, &target).expect("copy a file");
        }
    }
}

/// An article without its front matter's `signatures`, nor a symptom that quotes one.
fn strip_signatures(article: &str) -> String {
    let unquote = |value: &str| -> String {
        let value = value.trim();
        match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
            None => value.to_string(),
        }
    };
    // Each line with the front-matter key it belongs to (none outside the front matter).
    let mut fences = 0;
    let mut key = "";
    let keyed: Vec<(&str, &str)> = article
        .lines()
        .map(|line| {
            if line == "---" {
                fences += 1;
            }
            let front = fences == 1 && line != "---";
            if !front {
                key = "";
            } else if !line.starts_with([' ', '-']) {
                key = line.split(':').next().unwrap_or_default();
            }
            (key, line)
        })
        .collect();
    let quoted: std::collections::HashSet<String> = keyed
        .iter()
        .filter(|(key, _)| *key == "signatures")
        .filter_map(|(_, line)| line.trim_start().strip_prefix("- text:"))
        .map(unquote)
        .collect();
    let mut out = String::with_capacity(article.len());
    for (key, line) in keyed {
        let quotes_one = key == "symptoms"
            && line
                .trim_start()
                .strip_prefix("- ")
                .is_some_and(|value| quoted.contains(&unquote(value)));
        if key != "signatures" && !quotes_one {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A case file's name, for headings.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Real log lines, each pasted alone: triage against a search for the same line. Returns the
/// rows read.
fn log_lines(
    model: &TriageModel,
    engine: &SearchEngine,
    path: &Path,
    verbose: bool,
) -> Vec<Vec<String>> {
    let lines = rows(path);
    println!("pasted log lines ({})", file_name(path));
    let (mut triage, mut search) = (Score::default(), Score::default());
    for row in &lines {
        let (t, s) = line_ranks(model, engine, &row[0], &row[1], |_| verbose);
        triage.add(t);
        search.add(s);
    }
    println!("  {}", triage.line("catalog triage"));
    println!("  {}\n", search.line("catalog search"));
    lines
}

/// The rank of `expected` for one pasted line under triage and under search; the line is
/// printed with both when `print` says so of its triage rank.
fn line_ranks(
    model: &TriageModel,
    engine: &SearchEngine,
    line: &str,
    expected: &str,
    print: impl Fn(Option<usize>) -> bool,
) -> (Option<usize>, Option<usize>) {
    let request = TriageRequest {
        text: line.to_string(),
        limit: Some(10),
        ..TriageRequest::default()
    };
    let ids = triage_ids(model, engine, &request);
    let t = rank(&ids, expected);
    let s = rank(&search_ids(engine, line), expected);
    if print(t) {
        let first = ids.first().map_or("-", String::as_str);
        let shown: String = line.chars().take(80).collect();
        println!("  triage {t:?} search {s:?}  {expected}  (triage: {first})  {shown}");
    }
    (t, s)
}

/// Observation sets with ruled-out statements: triage against a search for the observations.
fn observations(model: &TriageModel, engine: &SearchEngine, path: &Path, verbose: bool) {
    println!(
        "observation sets with ruled-out statements ({})",
        file_name(path)
    );
    let (mut triage, mut search) = (Score::default(), Score::default());
    for row in rows(path) {
        let observed = statements(row.first());
        let ruled_out = statements(row.get(1));
        let expected = row.get(2).expect("expected problem");
        let request = TriageRequest {
            observed: observed.clone(),
            ruled_out: ruled_out.clone(),
            limit: Some(10),
            ..TriageRequest::default()
        };
        let ids = triage_ids(model, engine, &request);
        let t = rank(&ids, expected);
        let s = rank(&search_ids(engine, &observed.join(" ")), expected);
        if verbose {
            let first: Vec<&str> = ids.iter().take(3).map(String::as_str).collect();
            println!(
                "  triage {t:?} search {s:?}  {expected}  (triage: {})",
                first.join(", ")
            );
        }
        triage.add(t);
        search.add(s);
    }
    println!("  {}", triage.line("catalog triage"));
    println!("  {}\n", search.line("catalog search"));
}

/// Every observation case whose expected problem triage puts first, again with that problem
/// ruled out by a name people use for it (`list`, a file in `tests/triage/` such as
/// `rule-outs.tsv`, the problem's names in turn): a problem the engineer checked for and ruled
/// out by name must leave first place.
fn named_rule_outs(
    model: &TriageModel,
    engine: &SearchEngine,
    cases_dir: &Path,
    list: &str,
    verbose: bool,
) {
    println!("observation cases with the expected problem ruled out by name ({list})");
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    for row in rows(&cases_dir.join(list)) {
        if let (Some(problem), Some(name)) = (row.first(), row.get(1)) {
            names.entry(problem.clone()).or_default().push(name.clone());
        }
    }
    let (mut cases, mut honoured) = (0usize, 0usize);
    let mut turn: HashMap<String, usize> = HashMap::new();
    for file in OBSERVATION_SETS {
        for row in rows(&cases_dir.join(file)) {
            let expected = row.get(2).expect("expected problem");
            let Some(own) = names.get(expected) else {
                continue;
            };
            let mut request = TriageRequest {
                observed: statements(row.first()),
                ruled_out: statements(row.get(1)),
                limit: Some(10),
                ..TriageRequest::default()
            };
            if rank(&triage_ids(model, engine, &request), expected) != Some(1) {
                continue;
            }
            let at = turn.entry(expected.clone()).or_default();
            let name = &own[*at % own.len()];
            *at += 1;
            request
                .ruled_out
                .push(format!("{name}, checked and it is not that"));
            cases += 1;
            let ids = triage_ids(model, engine, &request);
            if rank(&ids, expected) == Some(1) {
                if verbose {
                    println!("  still first  {expected}  ruled out as `{name}`");
                }
            } else {
                honoured += 1;
            }
        }
    }
    println!(
        "  ruled out by name, no longer first: {honoured} of {cases} ({:.1}%)\n",
        100.0 * honoured as f64 / cases.max(1) as f64
    );
}

/// A ruled-out statement written as the hypothesis, a comma and how it was checked (`a
/// replica lagging, both sides took writes`), rewritten in the `turn`th of other ways people
/// write the same (`because`, a full stop, `since`, brackets, a dash, `we checked … and`, a
/// question); `None` for one written otherwise.
fn rephrased(statement: &str, turn: usize) -> Option<String> {
    let (lead, rest) = match statement.split_once(": ") {
        Some((lead, rest)) if lead.split_whitespace().count() <= 2 => (true, rest),
        _ => (false, statement),
    };
    let (head, tail) = rest.split_once(", ")?;
    if head.split_whitespace().count() < 2 || (!lead && head.contains(':')) {
        return None;
    }
    // The text with its first letter in upper or lower case.
    let first_letter = |text: &str, upper: bool| {
        let mut chars = text.chars();
        let first: String = match chars.next() {
            Some(first) if upper => first.to_uppercase().collect(),
            Some(first) => first.to_lowercase().collect(),
            None => String::new(),
        };
        first + chars.as_str()
    };
    let lower = |text: &str| first_letter(text, false);
    let upper = |text: &str| first_letter(text, true);
    Some(match turn % 7 {
        0 => format!("ruled out {} because {tail}", lower(head)),
        1 => format!("{}. {}.", upper(head), upper(tail)),
        2 => format!("not {} since {tail}", lower(head)),
        3 => format!("{head} ({tail})"),
        4 => format!("{head} \u{2014} {tail}"),
        5 => format!("we checked {} and {tail}", lower(head)),
        _ => format!("{}? No, {tail}", upper(head)),
    })
}

/// Every observation case again, with each ruled-out statement written in another of the ways
/// people write what they excluded ([`rephrased`], in turn): how a case ranks must not hang
/// on its punctuation.
fn rephrased_rule_outs(
    model: &TriageModel,
    engine: &SearchEngine,
    cases_dir: &Path,
    verbose: bool,
) {
    println!("observation sets, each ruled-out statement written another way (every set)");
    let (mut cases, mut rewritten, mut as_written, mut first) = (0usize, 0usize, 0usize, 0usize);
    let mut turn = 0usize;
    for file in OBSERVATION_SETS {
        for row in rows(&cases_dir.join(file)) {
            let expected = row.get(2).expect("expected problem");
            let mut request = TriageRequest {
                observed: statements(row.first()),
                ruled_out: statements(row.get(1)),
                limit: Some(10),
                ..TriageRequest::default()
            };
            let before = rank(&triage_ids(model, engine, &request), expected);
            let mut changed = Vec::new();
            for statement in &mut request.ruled_out {
                if let Some(other) = rephrased(statement, turn) {
                    turn += 1;
                    changed.push(other.clone());
                    *statement = other;
                }
            }
            if changed.is_empty() {
                continue;
            }
            cases += 1;
            rewritten += changed.len();
            let after = rank(&triage_ids(model, engine, &request), expected);
            as_written += usize::from(before == Some(1));
            first += usize::from(after == Some(1));
            if verbose && (before == Some(1)) != (after == Some(1)) {
                println!(
                    "  {before:?} -> {after:?}  {expected}  ruled out as `{}`",
                    changed.join(" ; ")
                );
            }
        }
    }
    println!(
        "  first as written {as_written} of {cases}, rewritten {first} of {cases} ({rewritten} statements)\n"
    );
}

/// Every observation case again with its observed statements run together in one, joined
/// by full stops and by commas in turn: how a case ranks must not hang on whether what was
/// seen came as a list or as one sentence.
fn run_together(model: &TriageModel, engine: &SearchEngine, cases_dir: &Path) {
    println!("observation sets, each case's observed statements run together in one (every set)");
    let (mut cases, mut as_written, mut stops, mut commas) = (0usize, 0usize, 0usize, 0usize);
    for file in OBSERVATION_SETS {
        for row in rows(&cases_dir.join(file)) {
            let expected = row.get(2).expect("expected problem");
            let observed = statements(row.first());
            if observed.len() < 2 {
                continue;
            }
            let first = |observed: Vec<String>| {
                let request = TriageRequest {
                    observed,
                    ruled_out: statements(row.get(1)),
                    limit: Some(10),
                    ..TriageRequest::default()
                };
                usize::from(rank(&triage_ids(model, engine, &request), expected) == Some(1))
            };
            let trimmed: Vec<&str> = observed
                .iter()
                .map(|statement| statement.trim().trim_end_matches('.'))
                .collect();
            cases += 1;
            as_written += first(observed.clone());
            stops += first(vec![format!("{}.", trimmed.join(". "))]);
            commas += first(vec![trimmed.join(", ")]);
        }
    }
    println!(
        "  first as written {as_written} of {cases}, joined by full stops {stops}, by commas {commas}\n"
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let verbose = std::env::args().any(|arg| arg == "--verbose" || arg == "-v");
    // `--set NAME`: only the sets whose file name holds NAME, and no timings (`--set
    // another-way`: the observation sets with their statements written other ways); `--set timings`:
    // the timings alone (for a profiler).
    let only: Option<String> = std::env::args().skip_while(|arg| arg != "--set").nth(1);
    let timings_only = only.as_deref() == Some("timings");
    let wanted =
        |file: &str| !timings_only && only.as_deref().is_none_or(|name| file.contains(name));
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases_dir = manifest.join("../tests/triage");
    let (_data, engine, model) = indexed(&manifest.join("../catalog")).await;
    println!(
        "bundled catalog: {} problems, {} signatures\n",
        model.len(),
        model.signature_count()
    );

    // Pasted log lines: the set tuned on, then the sets gathered afterwards.
    let lines = log_lines(&model, &engine, &cases_dir.join("log-lines.tsv"), verbose);
    for file in LOG_LINE_SETS.iter().copied().filter(|file| wanted(file)) {
        log_lines(&model, &engine, &cases_dir.join(file), verbose);
    }

    // Observation sets: the set tuned on, one written afterwards, and one not tuned on.
    for file in OBSERVATION_SETS.iter().copied().filter(|file| wanted(file)) {
        observations(&model, &engine, &cases_dir.join(file), verbose);
    }
    // The same cases, with the expected problem ruled out by a name people use for it: the
    // list written with the aliases, then one written without them.
    for list in RULE_OUT_NAMES.iter().copied().filter(|file| wanted(file)) {
        named_rule_outs(&model, &engine, &cases_dir, list, verbose);
    }

    if wanted("another-way") {
        rephrased_rule_outs(&model, &engine, &cases_dir, verbose);
        run_together(&model, &engine, &cases_dir);
    }

    // From one vague complaint, three next checks answered truthfully: the set tuned on, and
    // the same problems in other words, written afterwards.
    for file in [
        "complaints.tsv",
        "complaints-rephrased.tsv",
        "complaints-third.tsv",
        "complaints-fourth.tsv",
    ]
    .into_iter()
    .filter(|file| wanted(file))
    {
        complaints(&model, &engine, &cases_dir.join(file), verbose);
    }
    // Every log line again, as if no article quoted its message: the catalog without its
    // signatures. A message from software no article quotes yet meets only the search.
    if wanted("unquoted") {
        unquoted(&manifest.join("../catalog"), &cases_dir, verbose).await;
    }
    if only.is_some() && !timings_only {
        return;
    }

    // A 1 MiB, 10,000-line log.
    // 10,000 lines, then cut or padded (with request lines) to exactly 1 MiB.
    let mut log = big_log(&lines, 10_000);
    let target = 1 << 20;
    if log.len() > target {
        log.truncate(target);
    } else {
        let pad = "2026-11-30T23:59:59.999Z INFO [http-nio-8080-exec-1] AccessLog: GET /healthz 200 1ms\n";
        while log.len() + pad.len() <= target {
            log.push_str(pad);
        }
        log.push_str(&"x".repeat(target - log.len()));
    }
    time_log("1 MiB log", &model, &engine, &log);

    // The worst case for grouping: every line a message of its own (a word no other line has).
    let mut distinct = String::with_capacity(target);
    let mut n: u32 = 0;
    while distinct.len() < target - 200 {
        let word: String = format!("{n:x}")
            .chars()
            .map(|c| char::from(b'g' + c.to_digit(16).unwrap_or(0) as u8))
            .collect();
        let case = &lines[n as usize % lines.len()][0];
        let line = if n.is_multiple_of(10) {
            format!("ERROR job {word} failed: {case}\n")
        } else {
            format!("INFO request {word} served for tenant {word}q in 12ms\n")
        };
        if distinct.len() + line.len() > target {
            break;
        }
        distinct.push_str(&line);
        n += 1;
    }
    time_log("1 MiB log, every line distinct", &model, &engine, &distinct);

    // The worst case for matching: long lines (up to the 2,000 characters a line is read to)
    // made of the words of the real lines in `log-lines.tsv`, so that each line shares a rare
    // word with many signatures and is aligned with each of them.
    let mut vocabulary: Vec<&str> = lines
        .iter()
        .flat_map(|case| case[0].split(|c: char| !c.is_ascii_alphabetic()))
        .filter(|word| word.len() >= 3)
        .collect();
    vocabulary.sort_unstable();
    vocabulary.dedup();
    let mut dense = String::with_capacity(target);
    let mut n: usize = 0;
    while !vocabulary.is_empty() {
        let mut line = format!("{n}");
        let mut at = n * 7;
        while line.len() < 1_980 {
            line.push(' ');
            line.push_str(vocabulary[at % vocabulary.len()]);
            at += 1;
        }
        line.push('\n');
        if dense.len() + line.len() > target {
            break;
        }
        dense.push_str(&line);
        n += 1;
    }
    time_log(
        "1 MiB log, every line full of signature words",
        &model,
        &engine,
        &dense,
    );
}

fn time_log(name: &str, model: &TriageModel, engine: &SearchEngine, log: &str) {
    let request = TriageRequest {
        text: log.to_string(),
        limit: Some(5),
        ..TriageRequest::default()
    };
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..11 {
        let started = Instant::now();
        last = Some(model.triage(&request, Some(engine)).expect("triage"));
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let response = last.expect("ran");
    println!(
        "{name}: {} bytes, {} lines ({} messages, {} distinct, {} matched, {} searched): median {:.1} ms, min {:.1} ms, max {:.1} ms over {} runs",
        log.len(),
        response.lines.read,
        response.lines.messages,
        response.lines.templates,
        response.lines.matched,
        response.lines.searched,
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len()
    );
}
