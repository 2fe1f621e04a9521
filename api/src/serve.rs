//! The server loop: bind, print where to look, serve until SIGINT or SIGTERM (finishing the
//! requests in flight), and with `--watch` re-index when articles change.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use catalog_indexer::store::DataDir;

use crate::connections::{ConnectionLimits, serve_with_limits};
use crate::context::AppContext;
use crate::routes::app;
use crate::tasks::{Trigger, start_reindex};

/// How long the tree must stay quiet before `--watch` re-indexes.
pub const WATCH_DEBOUNCE: Duration = Duration::from_millis(300);

/// How often the server looks for a generation made current by another process
/// (`catalog index` while the server runs).
pub const FOLLOW_INTERVAL: Duration = Duration::from_secs(1);

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// Re-index on file changes.
    pub watch: bool,
    /// Timeouts and the connection cap.
    pub limits: ConnectionLimits,
}

/// Serves `ctx` until a shutdown signal. `on_bound` receives the address actually bound
/// (useful with port 0) before the first request is accepted.
pub async fn serve(
    ctx: AppContext,
    options: &ServeOptions,
    on_bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = TcpListener::bind(options.addr).await?;
    let bound = listener.local_addr()?;
    let _watcher = if options.watch {
        Some(watch(ctx.clone())?)
    } else {
        None
    };
    // Handlers are installed before anyone learns the address, so that a signal sent right
    // after start-up already shuts down gracefully.
    let shutdown = shutdown_signal()?;
    let follower = tokio::spawn(follow_current(ctx.clone()));
    on_bound(bound);
    let served = serve_with_limits(listener, app(ctx), options.limits, shutdown).await;
    follower.abort();
    served
}

/// Switches to the data folder's current generation whenever another process (a `catalog
/// index` run beside the server) makes a new one current. Reading `CURRENT` costs one small
/// file read a second.
async fn follow_current(ctx: AppContext) {
    let data = DataDir::new(&ctx.settings().data_dir);
    let mut ticks = tokio::time::interval(FOLLOW_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let Some(on_disk) = data.current() else {
            continue;
        };
        let served = ctx.current().map(|snapshot| snapshot.generation.id.clone());
        if served.as_deref() == Some(on_disk.id.as_str()) {
            continue;
        }
        if let Err(err) = ctx.reload().await {
            tracing::warn!(generation = %on_disk.id, error = %err, "could not switch to the new generation");
        }
    }
}

/// Installs SIGINT (Ctrl-C) and SIGTERM handlers; the future resolves on either.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    })
}

/// Ctrl-C handler where there are no Unix signals.
#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing requests in flight");
    })
}

/// A debounced watcher of the catalog folder that starts a re-index after markdown or
/// catalog.toml changes (changes under the data folder are ignored). Dropping it stops it.
fn watch(ctx: AppContext) -> std::io::Result<impl Drop> {
    let (sender, mut receiver) = mpsc::unbounded_channel::<()>();
    let settings = ctx.settings().clone();
    let data_dir = std::fs::canonicalize(&settings.data_dir).unwrap_or(settings.data_dir.clone());
    let mut debouncer = new_debouncer(WATCH_DEBOUNCE, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        if events
            .iter()
            .any(|event| is_content(&event.path, &data_dir))
        {
            let _ = sender.send(());
        }
    })
    .map_err(std::io::Error::other)?;
    debouncer
        .watcher()
        .watch(&settings.catalog, RecursiveMode::Recursive)
        .map_err(std::io::Error::other)?;
    tokio::spawn(async move {
        while receiver.recv().await.is_some() {
            // Changes that arrive while a re-index runs are picked up by the next one.
            loop {
                match start_reindex(&ctx, Trigger::Watch) {
                    Ok(task) => {
                        tracing::info!(task = %task.id, "articles changed: re-indexing");
                        break;
                    }
                    Err(_) => tokio::time::sleep(WATCH_DEBOUNCE).await,
                }
            }
        }
    });
    Ok(debouncer)
}

fn is_content(path: &Path, data_dir: &Path) -> bool {
    if path.starts_with(data_dir) || path.components().any(|part| part.as_os_str() == ".catalog") {
        return false;
    }
    matches!(
        path.extension().and_then(|ext| ext.to_str()),
        Some("md" | "mdx" | "toml" | "js" | "json")
    )
}
