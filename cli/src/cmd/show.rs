//! `catalog show`.

use std::path::PathBuf;

use anyhow::{Result, bail};
use catalog_indexer::config::Config;
use catalog_indexer::markdown::parse_body;
use catalog_indexer::store::{Lookup, load_problem, open_generation};
use clap::{Args, ValueEnum};

use crate::ExitStatus;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Readable text.
    Text,
    /// The whole record as JSON.
    Json,
}

/// Print one problem: symptoms, signatures, incidents, approaches, detection and recovery
///
/// Symptoms, a sample of how people have reported it, the signatures software prints for it
/// and the incidents, each with its source;
/// approaches with their core idea and trade-off; detection and recovery with their code; then
/// related, linking and similar problems. On a site without these fields, the sections
/// `[roles]` names stand in for them.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The problem's id (`availability/retry-storm`) or a slug that names one problem.
    id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(catalog: Option<PathBuf>, data: Option<PathBuf>, args: ShowArgs) -> Result<ExitStatus> {
    let root = crate::root::resolve(catalog, &[])?;
    let config = Config::load(&root)?;
    let generation = crate::cmd::index::current(&config, &crate::root::data_dir(&root, data))?;
    let runtime = crate::root::runtime()?;
    let lookup = runtime.block_on(async {
        let pool = open_generation(&generation).await?;
        let lookup = load_problem(&pool, &args.id).await;
        pool.close().await;
        lookup
    })?;
    let problem = match lookup {
        Lookup::Found(problem) => problem,
        Lookup::Ambiguous(ids) => bail!("`{}` names several problems: {}", args.id, ids.join(", ")),
        Lookup::Missing => bail!(
            "no problem `{}` (try `catalog search {}`)",
            args.id,
            args.id
        ),
    };
    if let Format::Json = args.format {
        crate::emit(&format!("{}\n", serde_json::to_string_pretty(&problem)?))?;
        return Ok(ExitStatus::Success);
    }
    let mut out = String::new();
    outln!(out, "{}\n{}\n", problem.info.title, problem.info.id);
    if let Some(summary) = &problem.info.summary {
        outln!(out, "{summary}\n");
    }
    let facts: Vec<String> = [
        ("category", &problem.info.category),
        ("domain", &problem.info.domain),
        ("difficulty", &problem.info.difficulty),
    ]
    .iter()
    .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}: {v}")))
    .collect();
    outln!(out, "{}", facts.join("  "));
    if !problem.aliases.is_empty() {
        outln!(out, "also known as: {}", problem.aliases.join(", "));
    }
    if !problem.info.tags.is_empty() {
        outln!(out, "tags: {}", problem.info.tags.join(", "));
    }
    if !problem.impact.is_empty() {
        outln!(out, "impact: {}", problem.impact.join(", "));
    }
    // A section playing a role, as written: heading, anchor and its prose.
    // A section playing a role: heading, anchor, its prose, then its code blocks (queries,
    // commands) as written; diagrams are left to the page.
    let body = parse_body(&problem.body, 0);
    let role_section = |out: &mut String, role: &str| {
        let Some(section) = problem
            .sections
            .iter()
            .find(|s| s.role.as_deref() == Some(role) && !s.text.is_empty())
        else {
            return;
        };
        outln!(
            out,
            "\n{}  (#{})\n  {}",
            section.heading,
            section.anchor,
            section.text
        );
        let Some(at) = body
            .headings
            .iter()
            .position(|heading| heading.anchor == section.anchor)
        else {
            return;
        };
        let start = body.headings[at].range.end;
        let end = body
            .headings
            .get(at + 1)
            .map_or(problem.body.len(), |next| next.range.start);
        for block in body
            .code_blocks
            .iter()
            .filter(|block| block.range.start >= start && block.range.end <= end)
            .filter(|block| block.lang != "mermaid")
        {
            if let Some(code) = problem.body.get(block.range.clone()) {
                outln!(out, "");
                for line in code.trim_end().lines() {
                    outln!(out, "    {line}");
                }
            }
        }
    };
    if !problem.symptoms.is_empty() {
        outln!(out, "\nSymptoms");
        for symptom in &problem.symptoms {
            outln!(out, "  - {symptom}");
        }
    } else {
        role_section(&mut out, "symptoms");
    }
    if !problem.reports.is_empty() {
        // A sample: the whole list is for triage to match, and `--format json` has it.
        const SHOWN: usize = 5;
        outln!(out, "\nReported as");
        for report in problem.reports.iter().take(SHOWN) {
            outln!(out, "  - {}", super::printable(report));
        }
        if problem.reports.len() > SHOWN {
            outln!(out, "  … and {} more", problem.reports.len() - SHOWN);
        }
    }
    if !problem.signatures.is_empty() {
        outln!(out, "\nSignatures (as the software prints them)");
        for signature in &problem.signatures {
            outln!(out, "  - {}", super::printable(&signature.text));
            if let Some(source) = &signature.source {
                outln!(out, "    {source}");
            }
        }
    }
    if !problem.incidents.is_empty() {
        outln!(out, "\nIncidents");
        for incident in &problem.incidents {
            let who = incident.attribution();
            let what = incident.summary.as_deref().unwrap_or_default();
            outln!(out, "  - {who}: {what}");
            if let Some(source) = &incident.source {
                outln!(out, "    {source}");
            }
        }
    } else {
        role_section(&mut out, "incidents");
    }
    if !problem.approaches.is_empty() {
        outln!(out, "\nApproaches");
        for approach in &problem.approaches {
            outln!(out, "  {}  (#{})", approach.name, approach.anchor);
            for part in approach.parts.iter().filter(|part| {
                part.label.starts_with("The Core Idea") || part.label.starts_with("The Trade-off")
            }) {
                outln!(out, "    {}: {}", part.label, part.text);
            }
        }
    }
    for role in ["detection", "recovery"] {
        role_section(&mut out, role);
    }
    let related: Vec<&str> = problem
        .outgoing
        .iter()
        .filter(|e| e.kind != "link")
        .map(|e| e.id.as_str())
        .collect();
    if !related.is_empty() {
        outln!(out, "\nRelated: {}", related.join(", "));
    }
    let mut linked_from: Vec<&str> = problem.incoming.iter().map(|e| e.id.as_str()).collect();
    linked_from.sort_unstable();
    linked_from.dedup();
    if !linked_from.is_empty() {
        outln!(out, "Linked from: {}", linked_from.join(", "));
    }
    if !problem.similar.is_empty() {
        let similar: Vec<String> = problem
            .similar
            .iter()
            .map(|s| format!("{} ({})", s.id, s.shared_tags.join(", ")))
            .collect();
        outln!(out, "Similar: {}", similar.join("; "));
    }
    crate::emit(&out)?;
    Ok(ExitStatus::Success)
}
