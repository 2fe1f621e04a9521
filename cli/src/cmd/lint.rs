//! `catalog lint`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use catalog_indexer::config::Config;
use catalog_indexer::lint::fix::fix;
use catalog_indexer::lint::render::{Format, RenderOptions, render, statistics};
use catalog_indexer::lint::{PathFilter, Settings, lint};
use catalog_indexer::tree::Tree;
use clap::{Args, ValueEnum};

use crate::ExitStatus;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// Each finding with its labelled source excerpt and help (the default).
    Full,
    /// One line per finding.
    Concise,
    /// A JSON array.
    Json,
    /// GitHub Actions annotations (the default when GITHUB_ACTIONS=true).
    Github,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
}

/// Check articles against the template and every cross-reference.
///
/// The whole tree is read on every run, so references are checked against every record even
/// when only some paths are given (as pre-commit does); findings are reported for the given
/// paths only. Exit status: 0 when clean, 1 when there are findings, 2 on usage or I/O errors.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or folders to report on (default: the whole catalog).
    paths: Vec<PathBuf>,
    /// Apply safe fixes (reverse-field sync, tag normalisation and order, anchor typos).
    #[arg(long)]
    fix: bool,
    /// Show the fixes as a unified diff without writing them.
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    /// Output format.
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Print how many findings each rule produced instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    exit_zero: bool,
    /// Fail on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

pub fn run(catalog: Option<PathBuf>, args: LintArgs) -> Result<ExitStatus> {
    let root = crate::root::resolve(catalog, &args.paths)?;
    let config = Config::load(&root)?;
    let mut settings = Settings::from_config(&config)?;
    settings.deny_warnings = args.deny_warnings;
    for path in &args.paths {
        if !path.exists() {
            anyhow::bail!("`{}` does not exist", path.display());
        }
    }
    let tree = Tree::load(config).with_context(|| format!("cannot read {}", root.display()))?;
    let filter = PathFilter::new(args.paths.clone());
    let format = match args.format {
        Some(OutputFormat::Full) => Format::Full,
        Some(OutputFormat::Concise) => Format::Concise,
        Some(OutputFormat::Json) => Format::Json,
        Some(OutputFormat::Github) => Format::Github,
        Some(OutputFormat::Sarif) => Format::Sarif,
        None if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") => Format::Github,
        None => Format::Full,
    };
    let stdout = std::io::stdout();
    let options = RenderOptions {
        color: crate::color_stdout(),
    };
    let mut out = stdout.lock();
    if args.fix || args.diff {
        let outcome = fix(tree, &settings, &filter);
        let (tree, report, changes) = (outcome.tree, outcome.report, outcome.changes);
        // Findings resolved, as `lint` counts them before and after the fixes.
        let fixed = outcome.resolved;
        if args.diff {
            for change in &changes {
                write!(out, "{}", change.diff())?;
            }
            if fixed > 0 {
                eprintln!(
                    "Would fix {fixed} finding{} in {} file{}.",
                    plural(fixed),
                    changes.len(),
                    plural(changes.len())
                );
            }
            // Like `git diff --exit-code`: 1 when there is something to fix.
            return Ok(if changes.is_empty() || args.exit_zero {
                ExitStatus::Success
            } else {
                ExitStatus::Failure
            });
        }
        for change in &changes {
            std::fs::write(&change.path, &change.after)
                .with_context(|| format!("cannot write {}", change.path.display()))?;
        }
        print(&mut out, &report, &tree, format, options, args.statistics)?;
        if fixed > 0 {
            writeln!(
                out,
                "Fixed {fixed} finding{} in {} file{}.",
                plural(fixed),
                changes.len(),
                plural(changes.len())
            )?;
        }
        return Ok(status(&report, &args));
    }
    let report = lint(&tree, &settings, &filter);
    print(&mut out, &report, &tree, format, options, args.statistics)?;
    Ok(status(&report, &args))
}

fn print(
    out: &mut impl Write,
    report: &catalog_indexer::lint::Report,
    tree: &Tree,
    format: Format,
    options: RenderOptions,
    statistics_only: bool,
) -> Result<()> {
    if statistics_only {
        write!(out, "{}", statistics(report))?;
    } else {
        write!(out, "{}", render(report, tree, format, options))?;
    }
    Ok(())
}

fn status(report: &catalog_indexer::lint::Report, args: &LintArgs) -> ExitStatus {
    if args.exit_zero {
        return ExitStatus::Success;
    }
    if report.fails(args.deny_warnings) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
