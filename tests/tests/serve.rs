//! `catalog serve` end to end: the real binary on an ephemeral port, searched and read while
//! an admin re-index switches generations, then stopped with SIGTERM; and the staleness check
//! that decides whether it indexes before serving.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

const TOKEN: &str = "e2e-admin-token";

struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Server {
    fn start(catalog: &Path) -> Server {
        Server::start_with(catalog, &[])
    }

    fn start_with(catalog: &Path, extra: &[&str]) -> Server {
        let mut child = common::catalog(catalog)
            .args(["--catalog", ".", "serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .env("CATALOG_ADMIN_TOKEN", TOKEN)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start catalog serve");
        let mut err_pipe = child.stderr.take().expect("stderr");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err_pipe.read_to_string(&mut text);
            text
        });
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut addr = None;
        let mut line = String::new();
        while addr.is_none() {
            line.clear();
            if stdout.read_line(&mut line).expect("read stdout") == 0 {
                panic!("serve exited before listening");
            }
            if let Some(rest) = line.trim().strip_prefix("Serving ")
                && let Some(url) = rest.split("http://").nth(1)
            {
                addr = Some(url.parse::<SocketAddr>().expect("address"));
            }
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = stdout.read_to_string(&mut rest);
        });
        Server {
            child,
            addr: addr.expect("address"),
            stderr: Some(stderr),
        }
    }

    /// Sends SIGTERM, waits for a clean exit and returns what the server wrote on stderr.
    fn stop(mut self) -> String {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let exit = self.child.wait().expect("wait");
        let stderr = self
            .stderr
            .take()
            .map(|reader| reader.join().unwrap_or_default())
            .unwrap_or_default();
        assert!(exit.success(), "serve exited with {exit}: {stderr}");
        stderr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 exchange (`Connection: close`); returns the status and the body.
fn http(addr: SocketAddr, method: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, body)| body.to_string());
    (status, body)
}

fn json(addr: SocketAddr, path: &str) -> Value {
    let (status, body) = http(addr, "GET", path, None);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

#[test]
fn serve_answers_and_switches_generations_without_failing_a_read() {
    let catalog = common::copy_tree(&common::bundled_catalog());
    let server = Server::start(catalog.path());
    let addr = server.addr;

    let search = json(addr, "/api/v1/search?q=thundering%20herd%20cache%20expiry");
    assert!(search["total"].as_u64().expect("total") > 0);
    let problem = json(
        addr,
        "/api/v1/problems/concurrency/race-condition-inventory",
    );
    assert_eq!(problem["id"], "concurrency/race-condition-inventory");
    let stats = json(addr, "/api/v1/stats");
    assert_eq!(stats["problems"], 44);
    let before = stats["generation"]["id"].clone();

    let article = catalog
        .path()
        .join("performance/connection-pool-starvation.md");
    common::append(
        &article,
        "\nA quixotic paragraph added by the end-to-end test.\n",
    );

    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(std::sync::Mutex::new(Vec::new()));
    let readers: Vec<_> = [
        "/api/v1/search?q=connection%20pool%20exhausted",
        "/api/v1/problems/concurrency/race-condition-inventory",
        "/api/v1/stats",
    ]
    .into_iter()
    .map(|path| {
        let (stop, reads, failures) =
            (Arc::clone(&stop), Arc::clone(&reads), Arc::clone(&failures));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let (status, body) = http(addr, "GET", path, None);
                reads.fetch_add(1, Ordering::Relaxed);
                if status != 200
                    && let Ok(mut failures) = failures.lock()
                {
                    failures.push(format!("{path}: {status} {body}"));
                }
            }
        })
    })
    .collect();

    let (status, body) = http(addr, "POST", "/api/v1/admin/reindex", Some(TOKEN));
    assert_eq!(status, 202, "{body}");
    let task: Value = serde_json::from_str(&body).expect("task");
    let id = task["id"].as_str().expect("id").to_string();
    let deadline = Instant::now() + Duration::from_secs(120);
    let finished = loop {
        let (status, body) = http(
            addr,
            "GET",
            &format!("/api/v1/admin/tasks/{id}"),
            Some(TOKEN),
        );
        assert_eq!(status, 200, "{body}");
        let task: Value = serde_json::from_str(&body).expect("task");
        if task["status"] != "running" {
            break task;
        }
        assert!(Instant::now() < deadline, "re-index did not finish");
        std::thread::sleep(Duration::from_millis(50));
    };
    // Keep reading a little on the new generation too.
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.join().expect("reader");
    }
    assert_eq!(finished["status"], "succeeded", "{finished}");
    let failures = failures.lock().expect("failures").clone();
    assert!(
        failures.is_empty(),
        "failed reads during the switch: {failures:?}"
    );
    assert!(reads.load(Ordering::Relaxed) > 3);

    let stats = json(addr, "/api/v1/stats");
    assert_ne!(stats["generation"]["id"], before);
    let hits = json(addr, "/api/v1/search?q=quixotic");
    assert_eq!(hits["total"], 1, "{hits}");
    let stderr = server.stop();
    assert!(stderr.contains("No index in"), "{stderr}");
}

#[test]
fn serve_indexes_first_only_when_the_index_is_missing_or_stale() {
    let catalog = common::copy_tree(&common::bundled_catalog());
    let first = Server::start(catalog.path());
    let first_err = first.stop();
    assert!(first_err.contains("No index in"), "{first_err}");

    let fresh = Server::start(catalog.path());
    let fresh_err = fresh.stop();
    assert!(
        !fresh_err.contains("index"),
        "an up-to-date index is served as is: {fresh_err}"
    );

    let article = catalog
        .path()
        .join("concurrency/race-condition-inventory.md");
    common::append(&article, "\nOne more line.\n");
    let stale = Server::start(catalog.path());
    let stale_err = stale.stop();
    assert!(
        stale_err.contains("out of date (1 file(s) added or changed)"),
        "{stale_err}"
    );
}

#[test]
fn watch_reindexes_when_an_article_changes() {
    let catalog = common::copy_tree(&common::bundled_catalog());
    let server = Server::start_with(catalog.path(), &["--watch"]);
    let addr = server.addr;
    assert_eq!(json(addr, "/api/v1/search?q=xylophonic")["total"], 0);
    let article = catalog
        .path()
        .join("concurrency/race-condition-inventory.md");
    common::append(&article, "\nA xylophonic line written while serving.\n");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if json(addr, "/api/v1/search?q=xylophonic")["total"] == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the change was not picked up");
        std::thread::sleep(Duration::from_millis(100));
    }
    server.stop();
}

#[test]
fn index_runs_beside_serve_never_remove_what_it_reads_and_it_follows_them() {
    let dir = common::copy_tree(&common::bundled_catalog());
    let server = Server::start(dir.path());
    let first = json(server.addr, "/api/v1/stats");
    let first_generation = first["generation"].clone();
    for round in 0..3 {
        common::append(
            &dir.path().join("availability/retry-storm.md"),
            &format!("\nEdited beside the server (xylophonequokka), round {round}.\n"),
        );
        let output = common::catalog(dir.path())
            .args(["--catalog", ".", "index"])
            .output()
            .expect("catalog index");
        assert!(output.status.success(), "{output:?}");
        // Until it switches, the server still reads the generation it holds.
        for path in [
            "/api/v1/problems",
            "/api/v1/problems/availability/retry-storm",
            "/api/v1/stats",
        ] {
            let (status, body) = http(server.addr, "GET", path, None);
            assert_eq!(status, 200, "{path} after index run {round}: {body}");
        }
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, body) = http(server.addr, "GET", "/api/v1/search?q=xylophonequokka", None);
        assert_eq!(status, 200, "{body}");
        let found = serde_json::from_str::<Value>(&body).expect("json")["total"]
            .as_u64()
            .unwrap_or(0);
        if found > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server never switched to the generation `catalog index` wrote"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let now = json(server.addr, "/api/v1/stats");
    assert_ne!(now["generation"], first_generation);
    server.stop();
}

#[test]
fn slow_and_idle_clients_cannot_take_the_server_down() {
    let dir = common::copy_tree(&common::bundled_catalog());
    let server = Server::start_with(
        dir.path(),
        &[
            "--header-timeout",
            "2",
            "--idle-timeout",
            "3",
            "--max-connections",
            "300",
        ],
    );

    // Slowloris: headers trickle in one line a second and never end.
    let mut slow = TcpStream::connect(server.addr).expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .expect("send");
    let started = Instant::now();
    let closed = loop {
        std::thread::sleep(Duration::from_millis(500));
        if slow.write_all(b"X-Slow: 1\r\n").is_err() {
            break true;
        }
        slow.set_read_timeout(Some(Duration::from_millis(10)))
            .expect("timeout");
        let mut byte = [0u8; 256];
        match slow.read(&mut byte) {
            Ok(_) => break true,
            Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(err) if err.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => break true,
        }
        if started.elapsed() > Duration::from_secs(15) {
            break false;
        }
    };
    assert!(closed, "a slowloris request is still open after 15 s");

    // Thousands of idle sockets, far over the cap: new clients are still served.
    let idle: Vec<TcpStream> = (0..2000)
        .filter_map(|_| TcpStream::connect(server.addr).ok())
        .collect();
    assert!(idle.len() > 1000, "opened {} sockets", idle.len());
    std::thread::sleep(Duration::from_millis(1500));
    for _ in 0..5 {
        let (status, body) = http(server.addr, "GET", "/api/v1/search?q=retry", None);
        assert_eq!(status, 200, "{body}");
    }
    // Idle keep-alive sockets are closed after the idle timeout.
    std::thread::sleep(Duration::from_secs(4));
    let mut first = &idle[idle.len() - 1];
    first
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut buffer = [0u8; 512];
    let read = first.read(&mut buffer);
    assert!(
        read.is_ok()
            || read
                .as_ref()
                .is_err_and(|err| err.kind() == std::io::ErrorKind::ConnectionReset),
        "an idle socket is closed by the server: {read:?}"
    );
    drop(idle);
    server.stop();
}
