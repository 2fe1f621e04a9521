//! `catalog triage` and `catalog chain`.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use catalog_indexer::config::Config;
use catalog_indexer::search::SearchEngine;
use catalog_indexer::store::open_generation;
use catalog_indexer::triage::{
    Chain, ChainStep, Contribution, Direction, FindingKind, MAX_DEPTH, MAX_INPUT_BYTES,
    TriageModel, TriageRequest, TriageResponse,
};
use clap::{Args, ValueEnum};

use crate::ExitStatus;
use crate::cmd::printable;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Candidates with what they explain, then the next checks.
    Text,
    /// The same JSON as the HTTP API's triage.
    Json,
}

/// Which known problem explains a log and what you observe, and what to check next
///
/// Pipe log text in, or name log files (`-` for standard input); a longer log is read to its
/// end and its last 1 MiB kept, and several files are read as one log, in order. Each message
/// is normalised (times, ids, addresses, numbers, paths and quoted values become placeholders;
/// stack frames are skipped) and matched against the signatures real software prints for each
/// problem; messages no signature matches go to the ranked search. Add what you see with
/// --observed and what you have ruled out with --ruled-out. Candidates are ranked by a
/// posterior over the catalog; each says which findings it explains and which it does not.
/// Next checks are the symptoms whose answer would separate the candidates best: answer them
/// with --observed or --ruled-out and run again.
///
/// Examples:
///   kubectl logs api-7f9c4d8b6-x2kq9 | catalog triage
///   catalog triage /var/log/app/error.log
///   catalog triage --observed "the service restarts every few hours"
///   catalog triage --observed "p99 latency climbs" --ruled-out "CPU is saturated" < app.log
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct TriageArgs {
    /// Log files to read, in order (`-` for standard input). Without any, log text piped to
    /// standard input is read.
    #[arg(value_name = "LOG")]
    logs: Vec<PathBuf>,
    /// Something you observe, in your words (repeat for more).
    #[arg(long, value_name = "TEXT")]
    observed: Vec<String>,
    /// Something you checked and found not to hold (repeat for more).
    #[arg(long = "ruled-out", value_name = "TEXT")]
    ruled_out: Vec<String>,
    /// Candidates to show.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
    limit: u16,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Show what each message and statement adds to a candidate's score (`evidence` in JSON).
    #[arg(long)]
    explain: bool,
}

/// Follow a problem's causal edges: what causes it (up) and what it causes (down)
///
/// Examples:
///   catalog chain availability/retry-storm
///   catalog chain retry-storm --down --depth 3
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ChainArgs {
    /// The problem's id or a slug that names one problem.
    id: String,
    /// Only causes (upstream).
    #[arg(long, conflicts_with = "down")]
    up: bool,
    /// Only effects (downstream).
    #[arg(long)]
    down: bool,
    /// How many steps to follow.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=MAX_DEPTH as i64))]
    depth: u16,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(
    catalog: Option<PathBuf>,
    data: Option<PathBuf>,
    args: TriageArgs,
) -> Result<ExitStatus> {
    let stdin = std::io::stdin();
    let budget = MAX_INPUT_BYTES
        - args
            .observed
            .iter()
            .chain(&args.ruled_out)
            .map(String::len)
            .sum::<usize>()
            .min(MAX_INPUT_BYTES);
    let text = if args.logs.is_empty() && stdin.is_terminal() {
        String::new()
    } else {
        let (text, total) = if args.logs.is_empty() {
            last_bytes(stdin.lock(), budget).context("cannot read log text from standard input")?
        } else {
            read_logs(&args.logs, budget)?
        };
        if total > text.len() {
            eprintln!(
                "Read the last {} of {} bytes of the log ({} lines): triage reads up to 1 MiB.",
                text.len(),
                total,
                text.lines().count()
            );
        }
        text
    };
    let request = TriageRequest {
        text,
        observed: args.observed,
        ruled_out: args.ruled_out,
        limit: Some(usize::from(args.limit)),
        explain: args.explain,
    };
    if let Err(err) = request.validate() {
        bail!("{err}");
    }
    let root = crate::root::resolve(catalog, &[])?;
    let config = Config::load(&root)?;
    let generation = crate::cmd::index::current(&config, &crate::root::data_dir(&root, data))?;
    let runtime = crate::root::runtime()?;
    let (model, engine) = runtime.block_on(async {
        let pool = open_generation(&generation).await?;
        let model = TriageModel::load(&pool).await;
        pool.close().await;
        let engine = SearchEngine::open(&generation, &config).await?;
        anyhow::Ok((model?, engine))
    })?;
    let response = model.triage(&request, Some(&engine))?;
    let out = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&response)?),
        Format::Text => triage_text(&response),
    };
    crate::emit(&out)?;
    Ok(ExitStatus::Success)
}

/// The last `budget` bytes of the named logs read one after another (`-` is standard input),
/// cut at a line start as [`last_bytes`] cuts them, and how many bytes they held. A log whose
/// last line has no line break gets one, so that it and the next log's first line stay two.
fn read_logs(paths: &[PathBuf], budget: usize) -> Result<(String, usize)> {
    let mut joined = String::new();
    let mut total = 0;
    for path in paths {
        let (text, held) = if path.as_os_str() == "-" {
            last_bytes(std::io::stdin().lock(), budget)
                .context("cannot read log text from standard input")?
        } else {
            if path.is_dir() {
                bail!("{} is a folder: name the log files in it", path.display());
            }
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot read the log {}", path.display()))?;
            last_bytes(file, budget)
                .with_context(|| format!("cannot read the log {}", path.display()))?
        };
        total += held;
        joined.push_str(&text);
        if !joined.is_empty() && !joined.ends_with('\n') {
            joined.push('\n');
        }
    }
    if joined.len() <= budget {
        return Ok((joined, total));
    }
    let (text, _) =
        last_bytes(joined.as_bytes(), budget).context("cannot keep the end of the logs")?;
    Ok((text, total))
}

/// The last `budget` bytes of a stream, cut at a line start, decoded lossily, and how many
/// bytes the stream held: a long log is read to its end, keeping only its most recent lines.
/// Decoding never takes the text past `budget`: a byte that is not UTF-8 (a Latin-1 `é`, a
/// stray binary record) becomes a three-byte replacement character, and the oldest lines make
/// room for it.
fn last_bytes(mut input: impl Read, budget: usize) -> std::io::Result<(String, usize)> {
    let mut kept: Vec<u8> = Vec::with_capacity(budget.min(1 << 16));
    let mut chunk = vec![0u8; 1 << 16];
    let mut total = 0usize;
    loop {
        let read = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        total += read;
        kept.extend_from_slice(&chunk[..read]);
        if kept.len() > 2 * budget.max(1) {
            kept.drain(..kept.len() - budget);
        }
    }
    if kept.len() > budget {
        kept.drain(..kept.len() - budget);
    }
    // When the start was cut, begin at the next whole line.
    if total > kept.len()
        && let Some(newline) = kept.iter().position(|&b| b == b'\n')
    {
        kept.drain(..=newline);
    }
    let mut text = String::from_utf8_lossy(&kept).into_owned();
    if text.len() > budget {
        let mut cut = text.len() - budget;
        while !text.is_char_boundary(cut) {
            cut += 1;
        }
        if let Some(newline) = text[cut..].find('\n') {
            cut += newline + 1;
        }
        text.drain(..cut);
    }
    Ok((text, total))
}

fn triage_text(response: &TriageResponse) -> String {
    let mut out = String::new();
    let lines = &response.lines;
    if lines.read > 0 {
        outln!(
            out,
            "Read {} lines: {} messages, {} distinct; {} matched a signature, {} looked up by search.\n",
            lines.read,
            lines.messages,
            lines.templates,
            lines.matched,
            lines.searched
        );
    }
    if response.candidates.is_empty() {
        outln!(
            out,
            "No known problem explains this. Try `catalog search` with the key words."
        );
    } else if response.explains_nothing() {
        outln!(
            out,
            "None of these explains what you pasted or observed: they only share words with it.\nDescribe it in other words, or try `catalog search` with the key words.\n"
        );
    }
    for (rank, candidate) in response.candidates.iter().enumerate() {
        outln!(
            out,
            "{:>2}. {}  {}  {:.0}%",
            rank + 1,
            candidate.title,
            candidate.id,
            candidate.probability * 100.0
        );
        for (signature, count) in candidate.matched_signatures() {
            outln!(out, "      matches: {}", printable(signature));
            if count > 1 {
                outln!(out, "               ({count} lines like it)");
            }
        }
        for finding in &candidate.explains {
            if !candidate.matched_lines.iter().any(|m| &m.line == finding) {
                outln!(out, "      explains: {}", printable(finding));
            }
        }
        for finding in &candidate.unexplained {
            outln!(out, "      does not explain: {}", printable(finding));
        }
        for finding in &candidate.contradicted {
            outln!(
                out,
                "      lists what you ruled out: {}",
                printable(finding)
            );
        }
        if let Some(evidence) = &candidate.evidence {
            outln!(
                out,
                "      score {:+.2}, finding by finding:",
                candidate.score
            );
            for part in evidence {
                outln!(out, "        {}", contribution_text(part));
            }
        }
    }
    if !response.next_checks.is_empty() {
        if response.is_settled() {
            // No answer would reorder the candidates; the checks left confirm the first.
            outln!(
                out,
                "\nTo confirm it (no answer would change the order; answer with --observed or --ruled-out):"
            );
        } else {
            outln!(
                out,
                "\nNext checks (answer with --observed or --ruled-out):"
            );
        }
        for check in &response.next_checks {
            outln!(
                out,
                "  - {}  ({:.2} bits; {})",
                printable(&check.symptom),
                check.gain,
                check.problems.join(", ")
            );
        }
    }
    out
}

/// One line of a candidate's score: what a finding adds, and why.
fn contribution_text(part: &Contribution) -> String {
    let what = match part.kind {
        FindingKind::Message => format!("message: {}", printable(&part.finding)),
        FindingKind::Observed => format!("observed: {}", printable(&part.finding)),
        FindingKind::RuledOut => format!("ruled out: {}", printable(&part.finding)),
        FindingKind::Together => "the observed statements together".to_string(),
    };
    let meaning = part
        .meaning
        .map(|meaning| format!(", meaning {meaning:+.2}"))
        .unwrap_or_default();
    // A statement that clearly describes the candidate rules it out whatever its match.
    let ruled_out = if part.rules_out { ", rules it out" } else { "" };
    format!(
        "{:+.2}  {what}  (match {:.2}{meaning}{ruled_out})",
        part.log_odds, part.strength
    )
}

pub fn run_chain(
    catalog: Option<PathBuf>,
    data: Option<PathBuf>,
    args: ChainArgs,
) -> Result<ExitStatus> {
    let root = crate::root::resolve(catalog, &[])?;
    let config = Config::load(&root)?;
    let generation = crate::cmd::index::current(&config, &crate::root::data_dir(&root, data))?;
    let runtime = crate::root::runtime()?;
    let (model, id) = runtime.block_on(async {
        let pool = open_generation(&generation).await?;
        let lookup = catalog_indexer::store::load_problem(&pool, &args.id).await;
        let model = TriageModel::load(&pool).await;
        pool.close().await;
        anyhow::Ok((model?, lookup?))
    })?;
    let id = match id {
        catalog_indexer::store::Lookup::Found(problem) => problem.info.id,
        catalog_indexer::store::Lookup::Ambiguous(ids) => {
            bail!("`{}` names several problems: {}", args.id, ids.join(", "))
        }
        catalog_indexer::store::Lookup::Missing => {
            bail!(
                "no problem `{}` (try `catalog search {}`)",
                args.id,
                args.id
            )
        }
    };
    let direction = match (args.up, args.down) {
        (true, _) => Direction::Up,
        (_, true) => Direction::Down,
        _ => Direction::Both,
    };
    let Some(chain) = model.chain(&id, direction, usize::from(args.depth)) else {
        bail!("no problem `{id}`");
    };
    let out = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&chain)?),
        Format::Text => chain_text(&chain, direction),
    };
    crate::emit(&out)?;
    Ok(ExitStatus::Success)
}

fn chain_text(chain: &Chain, direction: Direction) -> String {
    let mut out = String::new();
    outln!(out, "{}\n{}", chain.title, chain.id);
    // Steps come breadth first; print them as a tree, each under the step it continues.
    fn branch(out: &mut String, steps: &[ChainStep], from: &str, depth: usize, arrow: &str) {
        for step in steps.iter().filter(|s| s.depth == depth && s.from == from) {
            let indent = "  ".repeat(depth);
            let cycle = if step.cycle {
                "  (cycle: already shown)"
            } else {
                ""
            };
            outln!(out, "{indent}{arrow} {}  {}{cycle}", step.to_title, step.to);
            if !step.cycle {
                branch(out, steps, &step.to, depth + 1, arrow);
            }
        }
    }
    let mut part = |name: &str, steps: &[ChainStep], arrow: &str| {
        outln!(out, "\n{name}:");
        if steps.is_empty() {
            outln!(out, "  (none in the catalog)");
        }
        branch(&mut out, steps, &chain.id, 1, arrow);
    };
    if direction != Direction::Down {
        part("Caused by (upstream)", &chain.up, "←");
    }
    if direction != Direction::Up {
        part("Causes (downstream)", &chain.down, "→");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::last_bytes;

    #[test]
    fn a_long_log_keeps_its_last_whole_lines() {
        let log: String = (0..100_000).map(|i| format!("line {i}\n")).collect();
        let (kept, total) = last_bytes(log.as_bytes(), 1_000).expect("read");
        assert_eq!(total, log.len());
        assert!(kept.len() <= 1_000);
        assert!(kept.starts_with("line "), "{kept:?}");
        assert!(kept.ends_with("line 99999\n"));
        let (all, total) = last_bytes("a\nb\n".as_bytes(), 1_000).expect("read");
        assert_eq!((all.as_str(), total), ("a\nb\n", 4));
    }

    #[test]
    fn bytes_that_are_not_utf8_do_not_take_the_text_past_the_budget() {
        // A Latin-1 log: every `\xe9` decodes to a three-byte replacement character.
        let log: Vec<u8> = (0..10_000)
            .flat_map(|i| [b"caf\xe9".as_slice(), format!(" line {i}\n").as_bytes()].concat())
            .collect();
        assert!(std::str::from_utf8(&log).is_err());
        let (kept, total) = last_bytes(log.as_slice(), 1_000).expect("read");
        assert_eq!(total, log.len());
        assert!(kept.len() <= 1_000, "{} bytes", kept.len());
        assert!(kept.starts_with("caf\u{fffd} line "), "{kept:?}");
        assert!(kept.ends_with("line 9999\n"));
        // Even when it all fits as bytes, the decoded text keeps to the budget.
        let short: Vec<u8> = log[log.len() - 900..].to_vec();
        let (kept, _) = last_bytes(short.as_slice(), 1_000).expect("read");
        assert!(kept.len() <= 1_000, "{} bytes", kept.len());
        assert!(kept.ends_with("line 9999\n"));
    }
}
