//! `catalog serve`.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use catalog_api::{AppContext, ConnectionLimits, ServeOptions, ServerSettings};
use catalog_indexer::config::Config;
use catalog_indexer::freshness::{Freshness, freshness};
use catalog_indexer::ingest::IndexOptions;
use clap::{Args, ValueEnum};
use tracing_subscriber::EnvFilter;

use crate::ExitStatus;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per event, for log collectors.
    Json,
}

/// Serve the web pages (search, problems, statistics), the JSON API, its OpenAPI document and
/// an interactive docs page.
///
/// Indexes first when there is no index yet or it is older than the articles, catalog.toml
/// or this version of the tool. Logs go to stderr (filter with RUST_LOG, e.g.
/// `RUST_LOG=warn`). Admin routes (`POST /api/v1/admin/reindex`, …) exist only when
/// CATALOG_ADMIN_TOKEN is set, and require it as a bearer token. Stops on Ctrl-C or SIGTERM
/// after finishing the requests in flight.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080", env = "CATALOG_ADDR")]
    addr: SocketAddr,
    /// Re-index when an article or catalog.toml changes (for previewing while writing).
    #[arg(long)]
    watch: bool,
    /// Log format.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Read responses kept in memory, keyed by generation and URL (0 turns the cache off).
    #[arg(long, default_value_t = catalog_api::cache::DEFAULT_ENTRIES, value_name = "N")]
    cache_entries: usize,
    /// Bearer token of the admin routes.
    #[arg(
        long,
        env = "CATALOG_ADMIN_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    admin_token: Option<String>,
    /// Open client connections at most. At the cap, the connection idle longest is closed to
    /// make room; when all are busy, a new client gets 503.
    #[arg(long, default_value_t = ConnectionLimits::default().max_connections, value_name = "N")]
    max_connections: usize,
    /// Seconds a client has to send a request's headers (slow clients are disconnected).
    #[arg(long, default_value_t = ConnectionLimits::default().header_read_timeout.as_secs(), value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout: u64,
    /// Seconds a connection may stay open without reading or writing a byte.
    #[arg(long, default_value_t = ConnectionLimits::default().idle_timeout.as_secs(), value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    idle_timeout: u64,
}

pub fn run(catalog: Option<PathBuf>, data: Option<PathBuf>, args: ServeArgs) -> Result<ExitStatus> {
    let root = crate::root::resolve(catalog, &[])?;
    let data_dir = crate::root::data_dir(&root, data);
    let config = Config::load(&root)?;
    let runtime = crate::root::runtime()?;
    match runtime.block_on(freshness(&config, &data_dir))? {
        Freshness::Fresh(_) => {}
        Freshness::Missing => {
            eprintln!(
                "No index in {} yet: indexing {} first.",
                data_dir.display(),
                root.display()
            );
            reindex(config, &data_dir)?;
        }
        Freshness::Stale(reason) => {
            eprintln!("The index is out of date ({reason}): re-indexing.");
            reindex(config, &data_dir)?;
        }
    }
    init_logging(args.log_format);
    let ctx = AppContext::new(ServerSettings {
        catalog: root,
        data_dir,
        admin_token: args.admin_token.filter(|token| !token.is_empty()),
        cache_entries: args.cache_entries,
    });
    let options = ServeOptions {
        addr: args.addr,
        watch: args.watch,
        limits: ConnectionLimits {
            max_connections: args.max_connections.max(1),
            header_read_timeout: Duration::from_secs(args.header_timeout),
            idle_timeout: Duration::from_secs(args.idle_timeout),
        },
    };
    runtime.block_on(async {
        ctx.reload()
            .await
            .map_err(|err| anyhow::anyhow!("cannot load the index: {err}"))?;
        let problems = ctx.current().map_or(0, |snapshot| snapshot.engine.len());
        let admin = ctx.admin_enabled();
        catalog_api::serve(ctx, &options, |bound| {
            println!("Serving {problems} problems on http://{bound}");
            println!("  Pages:   http://{bound}/ (search), http://{bound}/stats");
            println!("  API:     http://{bound}/api/v1/search?q=...");
            println!("  OpenAPI: http://{bound}/api/openapi.json");
            println!("  Docs:    http://{bound}/docs/");
            if admin {
                println!("  Admin:   http://{bound}/api/v1/admin/status (bearer token)");
            }
            if options.watch {
                println!("Watching for changes; press Ctrl-C to stop.");
            }
        })
        .await
        .with_context(|| format!("cannot serve on {}", options.addr))
    })?;
    Ok(ExitStatus::Success)
}

fn reindex(config: Config, data_dir: &std::path::Path) -> Result<()> {
    let options = IndexOptions {
        data_dir: data_dir.to_path_buf(),
        ..IndexOptions::default()
    };
    let summary = super::index::build(config, &options)?;
    super::index::print_summary(&summary);
    Ok(())
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    // A second call (tests run several servers in one process) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
