//! Accepting connections so that no client can take the server down: a header-read timeout
//! (slowloris), an idle timeout on keep-alive connections, and a cap on open connections.
//!
//! At the cap, a new client is not turned away while others merely sit idle: the connection
//! that has been quiet longest is closed to make room. Only when every connection has been
//! active within the last [`BUSY_WINDOW`] does the newcomer get a `503` and a close.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::AbortHandle;
use tokio::time::Sleep;

/// A connection active this recently is never closed to make room for a new one.
pub const BUSY_WINDOW: Duration = Duration::from_secs(1);

/// How long requests in flight may take to finish after a shutdown signal.
const DRAIN_LIMIT: Duration = Duration::from_secs(30);

/// Bounds on client connections.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Open connections at most.
    pub max_connections: usize,
    /// Time a client has to send a request's headers, from the connection's start or the
    /// first byte of a request on a kept-alive connection.
    pub header_read_timeout: Duration,
    /// Time a connection may stay without reading or writing a byte.
    pub idle_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            max_connections: 4096,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// What the server knows of one open connection.
struct Open {
    activity: Arc<Activity>,
    abort: AbortHandle,
}

/// Open connections, by a serial number.
#[derive(Default)]
struct Registry {
    next: u64,
    open: HashMap<u64, Open>,
}

/// Serves `app` on `listener` within `limits` until `shutdown` resolves, then lets requests in
/// flight finish (up to 30 s).
pub async fn serve_with_limits(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let registry = Arc::new(Mutex::new(Registry::default()));
    let (stop, stopping) = watch::channel(false);
    let epoch = Instant::now();
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of descriptors or a reset before accept: wait a little, go on.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        if !make_room(&registry, limits.max_connections, epoch) {
            tokio::spawn(refuse(stream));
            continue;
        }
        let activity = Arc::new(Activity::new(epoch));
        let io = Watched::new(stream, activity.clone(), limits.idle_timeout);
        let service = TowerToHyperService::new(app.clone());
        let mut stopping = stopping.clone();
        let registry_of_task = registry.clone();
        let mut guard = registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let id = guard.next;
        guard.next += 1;
        let task = tokio::spawn(async move {
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout)
                .serve_connection(TokioIo::new(io), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = async { let _ = stopping.wait_for(|stop| *stop).await; } => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.as_mut().await;
                }
            }
            registry_of_task
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .open
                .remove(&id);
        });
        guard.open.insert(
            id,
            Open {
                activity,
                abort: task.abort_handle(),
            },
        );
    }
    drop(listener);
    let _ = stop.send(true);
    let deadline = Instant::now() + DRAIN_LIMIT;
    while Instant::now() < deadline
        && !registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .open
            .is_empty()
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

/// Under the cap, or once the quietest connection idle for longer than [`BUSY_WINDOW`] has
/// been closed: whether a new connection may be served.
fn make_room(registry: &Mutex<Registry>, max: usize, epoch: Instant) -> bool {
    let mut registry = registry
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if registry.open.len() < max {
        return true;
    }
    let now = epoch.elapsed().as_millis() as u64;
    let quietest = registry
        .open
        .iter()
        .map(|(id, open)| (*id, open.activity.last.load(Ordering::Relaxed)))
        .min_by_key(|(_, last)| *last);
    match quietest {
        Some((id, last)) if now.saturating_sub(last) >= BUSY_WINDOW.as_millis() as u64 => {
            if let Some(open) = registry.open.remove(&id) {
                open.abort.abort();
            }
            true
        }
        _ => false,
    }
}

/// Answers a client over the cap with 503 and closes.
async fn refuse(mut stream: TcpStream) {
    const BODY: &str = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"too many open connections; retry shortly\",\"code\":\"too_many_connections\"}";
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let _ = tokio::time::timeout(
        Duration::from_secs(1),
        stream.write_all(response.as_bytes()),
    )
    .await;
}

/// When a connection last read or wrote a byte, in milliseconds since the server started.
struct Activity {
    epoch: Instant,
    last: AtomicU64,
}

impl Activity {
    fn new(epoch: Instant) -> Activity {
        let activity = Activity {
            epoch,
            last: AtomicU64::new(0),
        };
        activity.touch();
        activity
    }

    fn touch(&self) {
        self.last
            .store(self.epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}

/// A stream that fails its reads with `TimedOut` after `idle` without a byte either way.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
    idle: Duration,
    timer: Pin<Box<Sleep>>,
}

impl Watched {
    fn new(inner: TcpStream, activity: Arc<Activity>, idle: Duration) -> Watched {
        Watched {
            inner,
            activity,
            idle,
            timer: Box::pin(tokio::time::sleep(idle)),
        }
    }

    fn active(&mut self) {
        self.activity.touch();
        let deadline = tokio::time::Instant::now() + self.idle;
        self.timer.as_mut().reset(deadline);
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.active();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(err)) => Poll::Ready(Err(err)),
            Poll::Pending => match self.timer.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection idle",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            self.active();
        }
        written
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let written = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(written, Poll::Ready(Ok(n)) if n > 0) {
            self.active();
        }
        written
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
