//! The `catalog` command line: a thin clap front end over the `catalog-indexer` library.
//!
//! The binary (`src/main.rs`) only calls [`main`]; the end-to-end tests build the same entry
//! point into their own binary.

/// `writeln!` into a `String`, which cannot fail.
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

/// `write!` into a `String`, which cannot fail.
macro_rules! outp {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}

mod cmd;
mod root;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Turns a folder of markdown articles about production failures into a validated,
/// searchable, cross-referenced catalog.
#[derive(Debug, Parser)]
#[command(name = "catalog", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// The catalog folder (holding catalog.toml). Defaults to $CATALOG_DIR, then to the
    /// folder holding catalog.toml above the given paths or the working directory, then to
    /// ./catalog.
    #[arg(long, global = true, env = "CATALOG_DIR", value_name = "DIR")]
    catalog: Option<PathBuf>,

    /// Where generations of the SQLite database and the search index are kept. Defaults to
    /// `.catalog/` inside the catalog folder.
    #[arg(long, global = true, env = "CATALOG_DATA", value_name = "DIR")]
    data: Option<PathBuf>,

    /// When to colour output: `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    color: Color,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check articles against the template and every cross-reference.
    Lint(cmd::lint::LintArgs),
    /// Explain a lint rule (by code or name), or list them all.
    Rule(cmd::rule::RuleArgs),
    /// Infer a catalog.toml for an existing docs folder.
    Init(cmd::init::InitArgs),
    /// Write a new article skeleton from the template.
    New(cmd::new::NewArgs),
    /// Build a new generation of the database and search index from the articles.
    Index(cmd::index::IndexArgs),
    // About and long help (with examples) come from `SearchArgs`' doc comment.
    Search(cmd::search::SearchArgs),
    Show(cmd::show::ShowArgs),
    Triage(cmd::triage::TriageArgs),
    Chain(cmd::triage::ChainArgs),
    /// Show documented problems against targets, and the spread of the catalog.
    Stats(cmd::stats::StatsArgs),
    /// Serve the web pages, the JSON API, its OpenAPI document and a docs page (indexes first
    /// if needed).
    Serve(cmd::serve::ServeArgs),
    /// Write a synthetic catalog for benchmarks.
    #[command(hide = true)]
    Generate(cmd::generate::GenerateArgs),
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

static COLOR: std::sync::OnceLock<Color> = std::sync::OnceLock::new();

/// Whether to colour what goes to standard output.
pub(crate) fn color_stdout() -> bool {
    use std::io::IsTerminal;
    match COLOR.get().copied().unwrap_or(Color::Auto) {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// How a command ended, as the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing to report.
    Success,
    /// The command ran and found problems (lint findings).
    Failure,
    /// Bad usage or an I/O error: the command could not do its job.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        match status {
            ExitStatus::Success => ExitCode::from(0),
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

/// Parses the command line, runs the command, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = COLOR.set(cli.color);
    anstream::ColorChoice::write_global(match cli.color {
        Color::Auto => anstream::ColorChoice::Auto,
        Color::Always => anstream::ColorChoice::Always,
        Color::Never => anstream::ColorChoice::Never,
    });
    let result = match cli.command {
        Command::Lint(args) => cmd::lint::run(cli.catalog, args),
        Command::Rule(args) => cmd::rule::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::New(args) => cmd::new::run(cli.catalog, args),
        Command::Index(args) => cmd::index::run(cli.catalog, cli.data, args),
        Command::Search(args) => cmd::search::run(cli.catalog, cli.data, args),
        Command::Show(args) => cmd::show::run(cli.catalog, cli.data, args),
        Command::Triage(args) => cmd::triage::run(cli.catalog, cli.data, args),
        Command::Chain(args) => cmd::triage::run_chain(cli.catalog, cli.data, args),
        Command::Stats(args) => cmd::stats::run(cli.catalog, cli.data, args),
        Command::Serve(args) => cmd::serve::run(cli.catalog, cli.data, args),
        Command::Generate(args) => cmd::generate::run(args),
    };
    match result {
        Ok(status) => status.into(),
        // `catalog search … | head` closes the pipe early: that is not an error.
        Err(err) if is_broken_pipe(&err) => ExitStatus::Success.into(),
        Err(err) => {
            anstream::eprintln!("{} {err:#}", error_label());
            ExitStatus::Error.into()
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes to standard output, reporting a closed pipe as an error instead of panicking.
pub(crate) fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

fn error_label() -> String {
    let style = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::Red.into()))
        .effects(anstyle::Effects::BOLD);
    format!("{}error:{}", style.render(), style.render_reset())
}
