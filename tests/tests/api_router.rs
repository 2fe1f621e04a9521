//! The HTTP API through its router (`oneshot`, no socket): every endpoint, every error path,
//! and the middleware (ETag, CORS, compression, request ids, admin token).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use catalog_api::{AppContext, ServerSettings, app};
use catalog_indexer::config::Config;
use catalog_indexer::ingest::{IndexOptions, index};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

const TOKEN: &str = "test-admin-token";

/// The bundled catalog, indexed once for the read-only tests of this file.
fn indexed() -> &'static (PathBuf, PathBuf) {
    static INDEXED: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    INDEXED.get_or_init(|| {
        let catalog = common::copy_tree(&common::bundled_catalog()).keep();
        let data = catalog.join(".catalog");
        build_index(&catalog, &data);
        (catalog, data)
    })
}

/// Indexes on a thread of its own: the async tests call it from inside their runtime.
fn build_index(catalog: &Path, data: &Path) {
    let config = Config::load(catalog).expect("config");
    let options = IndexOptions {
        data_dir: data.to_path_buf(),
        ..IndexOptions::default()
    };
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(index(config, &options, &|_, _| {}))
                    .expect("index");
            })
            .join()
            .expect("index thread");
    });
}

async fn context(catalog: &Path, data: &Path, token: Option<&str>) -> AppContext {
    let ctx = AppContext::new(ServerSettings {
        catalog: catalog.to_path_buf(),
        data_dir: data.to_path_buf(),
        admin_token: token.map(str::to_string),
        cache_entries: 64,
    });
    ctx.reload().await.expect("load the generation");
    ctx
}

async fn served() -> AppContext {
    let (catalog, data) = indexed();
    context(catalog, data, None).await
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!("not JSON ({err}): {}", String::from_utf8_lossy(&self.body))
        })
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a problem+json error with this status and code; returns the document.
    fn problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.header("content-type"), "application/problem+json");
        let doc = self.json();
        assert_eq!(doc["code"], code, "{doc}");
        assert_eq!(doc["status"], status);
        assert_eq!(doc["type"], "about:blank");
        assert!(
            doc["title"].is_string() && doc["detail"].is_string(),
            "{doc}"
        );
        doc
    }
}

async fn send(ctx: &AppContext, request: Request<Body>) -> Reply {
    let response = app(ctx.clone()).oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

async fn get(ctx: &AppContext, uri: &str) -> Reply {
    send(ctx, Request::get(uri).body(Body::empty()).expect("request")).await
}

fn ids(page: &Value, list: &str) -> Vec<String> {
    page[list]
        .as_array()
        .expect("array")
        .iter()
        .map(|item| item["id"].as_str().expect("id").to_string())
        .collect()
}

#[tokio::test]
async fn search_answers_with_hits_sections_and_facets() {
    let ctx = served().await;
    let reply = get(
        &ctx,
        "/api/v1/search?q=oversold%20inventory%20flash%20sale&limit=3",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "application/json");
    let body = reply.json();
    assert_eq!(body["query"], "oversold inventory flash sale");
    assert_eq!(
        body["hits"][0]["id"],
        "concurrency/race-condition-inventory"
    );
    assert!(body["hits"].as_array().expect("hits").len() <= 3);
    let section = &body["hits"][0]["sections"][0];
    assert!(section["anchor"].as_str().is_some_and(|a| !a.is_empty()));
    assert!(body["total"].as_u64().expect("total") >= 1);
    assert!(
        body["facets"]["category"]["concurrency"]
            .as_u64()
            .expect("facet")
            >= 1
    );

    let filtered = get(
        &ctx,
        "/api/v1/search?q=inventory&category=consistency&category=concurrency",
    )
    .await
    .json();
    for hit in filtered["hits"].as_array().expect("hits") {
        assert!(
            ["consistency", "concurrency"].contains(&hit["category"].as_str().expect("category"))
        );
    }
    let explained = get(&ctx, "/api/v1/search?q=deadlock&explain=true&limit=1")
        .await
        .json();
    assert!(
        explained["hits"][0]["explanation"].is_object(),
        "{explained}"
    );
}

#[tokio::test]
async fn search_parameters_are_validated() {
    let ctx = served().await;
    for (uri, code) in [
        ("/api/v1/search?q=x&limit=0", "invalid_parameter"),
        ("/api/v1/search?q=x&limit=101", "invalid_parameter"),
        ("/api/v1/search?q=x&limit=ten", "invalid_parameter"),
        ("/api/v1/search?q=x&offset=-1", "invalid_parameter"),
        ("/api/v1/search?q=x&offset=10001", "invalid_parameter"),
        ("/api/v1/search?q=x&q=y", "invalid_parameter"),
        ("/api/v1/search?q=x&explain=maybe", "invalid_parameter"),
    ] {
        get(&ctx, uri).await.problem(400, code);
    }
    let long = "a".repeat(1001);
    get(&ctx, &format!("/api/v1/search?q={long}"))
        .await
        .problem(400, "invalid_parameter");
    let doc = get(&ctx, "/api/v1/search?q=x&colour=red")
        .await
        .problem(400, "unknown_parameter");
    let allowed: Vec<&str> = doc["allowed"]
        .as_array()
        .expect("allowed")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(allowed.contains(&"q") && allowed.contains(&"tag"), "{doc}");
}

#[tokio::test]
async fn hostile_queries_answer_200() {
    let ctx = served().await;
    for q in [
        "%22unbalanced",
        "AND%20OR%20NOT",
        "title%3Adeadlock",
        "%00%01%1B%5B31m",
        "-",
        "%2A%3F%5B%5D%7B%7D",
    ] {
        let reply = get(&ctx, &format!("/api/v1/search?q={q}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{q}");
        assert!(reply.json()["hits"].is_array());
    }
}

#[tokio::test]
async fn problem_list_filters_sorts_and_pages_exactly() {
    let ctx = served().await;
    let all = get(&ctx, "/api/v1/problems?limit=100").await.json();
    assert_eq!(all["total"], 44);
    let everything = ids(&all, "items");
    assert_eq!(everything.len(), 44);

    let mut paged = Vec::new();
    for offset in (0..44).step_by(10) {
        let page = get(&ctx, &format!("/api/v1/problems?limit=10&offset={offset}"))
            .await
            .json();
        assert_eq!(page["total"], 44);
        paged.extend(ids(&page, "items"));
    }
    assert_eq!(paged, everything);

    let titles: Vec<String> = all["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["title"].as_str().expect("title").to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);

    let desc = get(&ctx, "/api/v1/problems?limit=100&order=desc")
        .await
        .json();
    let mut reversed = ids(&desc, "items");
    reversed.reverse();
    assert_eq!(reversed, everything);

    let by_difficulty = get(&ctx, "/api/v1/problems?limit=100&sort=difficulty")
        .await
        .json();
    let rank = |d: &str| {
        ["beginner", "intermediate", "advanced"]
            .iter()
            .position(|x| *x == d)
    };
    let ranks: Vec<Option<usize>> = by_difficulty["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| rank(item["difficulty"].as_str().unwrap_or("")))
        .collect();
    assert!(ranks.windows(2).all(|pair| pair[0] <= pair[1]), "{ranks:?}");

    let concurrency = get(&ctx, "/api/v1/problems?category=concurrency&limit=100")
        .await
        .json();
    let categories = get(&ctx, "/api/v1/categories").await.json();
    let documented = categories["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .find(|c| c["key"] == "concurrency")
        .expect("concurrency")["documented"]
        .clone();
    assert_eq!(concurrency["total"], documented);
    for item in concurrency["items"].as_array().expect("items") {
        assert_eq!(item["category"], "concurrency");
    }

    let tagged = get(
        &ctx,
        "/api/v1/problems?tag=idempotency&category=concurrency",
    )
    .await
    .json();
    for item in tagged["items"].as_array().expect("items") {
        assert_eq!(item["category"], "concurrency");
        assert!(
            item["tags"]
                .as_array()
                .expect("tags")
                .contains(&Value::from("idempotency"))
        );
    }

    for uri in [
        "/api/v1/problems?sort=colour",
        "/api/v1/problems?order=up",
        "/api/v1/problems?limit=1000",
    ] {
        get(&ctx, uri).await.problem(400, "invalid_parameter");
    }
    get(&ctx, "/api/v1/problems?q=x")
        .await
        .problem(400, "unknown_parameter");
}

#[tokio::test]
async fn a_problem_by_id_slug_or_path_with_related_entries() {
    let ctx = served().await;
    let by_path = get(
        &ctx,
        "/api/v1/problems/concurrency/race-condition-inventory",
    )
    .await;
    assert_eq!(by_path.status, StatusCode::OK);
    let problem = by_path.json();
    assert_eq!(problem["id"], "concurrency/race-condition-inventory");
    assert_eq!(
        problem["impact"],
        serde_json::json!(["revenue-loss", "customer-trust", "operational-toil"])
    );
    let by_slug = get(&ctx, "/api/v1/problems/race-condition-inventory")
        .await
        .json();
    let encoded = get(
        &ctx,
        "/api/v1/problems/concurrency%2Frace-condition-inventory",
    )
    .await
    .json();
    assert_eq!(by_slug["id"], problem["id"]);
    assert_eq!(encoded["id"], problem["id"]);
    // Other names for it, in the order the article lists them.
    assert_eq!(
        problem["aliases"],
        serde_json::json!(["overselling", "negative stock"])
    );

    assert!(!problem["symptoms"].as_array().expect("symptoms").is_empty());
    assert!(
        !problem["incidents"]
            .as_array()
            .expect("incidents")
            .is_empty()
    );
    assert!(
        !problem["approaches"]
            .as_array()
            .expect("approaches")
            .is_empty()
    );
    let sections = problem["sections"].as_array().expect("sections");
    assert!(
        sections
            .iter()
            .all(|s| s["anchor"].is_string() && s["html"].is_string())
    );
    assert!(
        sections
            .iter()
            .any(|s| s["html"].as_str().unwrap_or("").contains("<p>"))
    );
    for list in ["outgoing", "incoming", "similar"] {
        let entries = problem["related"][list].as_array().expect(list);
        assert!(!entries.is_empty(), "{list}");
        assert!(
            entries
                .iter()
                .all(|e| e["kind"].is_string() && e["id"].is_string())
        );
    }
    let outgoing = ids(&problem["related"], "outgoing");
    for similar in ids(&problem["related"], "similar") {
        assert!(!outgoing.contains(&similar), "{similar} is already linked");
    }

    get(&ctx, "/api/v1/problems/no-such-problem")
        .await
        .problem(404, "problem_not_found");
    get(&ctx, "/api/v1/problems/a/b/c")
        .await
        .problem(404, "problem_not_found");
    get(&ctx, "/api/v1/problems/race-condition-inventory?x=1")
        .await
        .problem(400, "unknown_parameter");
}

#[tokio::test]
async fn taxonomy_and_stats_agree_with_the_records() {
    let ctx = served().await;
    let tags = get(&ctx, "/api/v1/tags").await.json();
    let first = &tags["tags"][0];
    let tag = first["value"].as_str().expect("tag");
    let listed = get(&ctx, &format!("/api/v1/problems?tag={tag}"))
        .await
        .json();
    assert_eq!(listed["total"], first["count"]);

    let domains = get(&ctx, "/api/v1/domains").await.json();
    let domain_total: u64 = domains["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .map(|d| d["count"].as_u64().expect("count"))
        .sum();
    assert_eq!(domain_total, 44);

    let stats = get(&ctx, "/api/v1/stats").await.json();
    assert_eq!(stats["problems"], 44);
    let documented: u64 = stats["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| c["documented"].as_u64().expect("documented"))
        .sum();
    assert_eq!(documented, 44);
    let concurrency = &stats["categories"][0];
    let expected = (concurrency["documented"].as_f64().expect("n") * 1000.0
        / concurrency["target"].as_f64().expect("target"))
    .round()
        / 10.0;
    assert_eq!(concurrency["percentage"].as_f64(), Some(expected));
    let by_difficulty: u64 = stats["by_difficulty"]
        .as_object()
        .expect("by_difficulty")
        .values()
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(by_difficulty, 44);
    assert!(stats["incidents"].as_u64().expect("incidents") >= 44);
    assert!(stats["approaches"].as_u64().expect("approaches") >= 44);
    assert_eq!(stats["lint"]["errors"], 0);
    assert!(
        stats["generation"]["id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    assert!(stats["generation"]["built_at"].is_string());

    for uri in [
        "/api/v1/tags?x=1",
        "/api/v1/categories?x=1",
        "/api/v1/domains?x=1",
        "/api/v1/stats?x=1",
    ] {
        get(&ctx, uri).await.problem(400, "unknown_parameter");
    }
}

#[tokio::test]
async fn health_readiness_metrics_and_unknown_routes() {
    let (catalog, data) = indexed();
    let unloaded = AppContext::new(ServerSettings {
        catalog: catalog.clone(),
        data_dir: data.clone(),
        admin_token: None,
        cache_entries: 64,
    });
    assert_eq!(get(&unloaded, "/healthz").await.json()["status"], "ok");
    get(&unloaded, "/readyz").await.problem(503, "not_ready");
    get(&unloaded, "/api/v1/search?q=x")
        .await
        .problem(503, "not_ready");

    let ctx = served().await;
    let ready = get(&ctx, "/readyz").await.json();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["problems"], 44);
    get(&ctx, "/api/v1/search?q=deadlock").await;
    get(&ctx, "/api/v1/search?limit=0").await;
    let metrics = get(&ctx, "/metrics").await;
    assert!(metrics.header("content-type").starts_with("text/plain"));
    let text = String::from_utf8(metrics.body).expect("utf-8");
    assert!(
        text.contains(
            "catalog_http_requests_total{route=\"/api/v1/search\",method=\"GET\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("status=\"400\""), "{text}");
    assert!(
        text.contains("catalog_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("catalog_documents 44"), "{text}");
    assert!(
        text.contains(&format!(
            "catalog_generation{{generation=\"{}\"}} 1",
            ready["generation"].as_str().expect("id")
        )),
        "{text}"
    );

    get(&ctx, "/api/v2/search")
        .await
        .problem(404, "route_not_found");
    let wrong_method = send(
        &ctx,
        Request::delete("/api/v1/search")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    wrong_method.problem(405, "method_not_allowed");
    assert!(
        wrong_method.header("allow").contains("GET"),
        "{:?}",
        wrong_method.headers
    );

    let big = send(
        &ctx,
        Request::get("/api/v1/search?q=x")
            .header(header::CONTENT_LENGTH, 1024 * 1024)
            .body(Body::from(vec![b'x'; 1024 * 1024]))
            .expect("request"),
    )
    .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn etags_turn_repeated_reads_into_304() {
    let ctx = served().await;
    let first = get(&ctx, "/api/v1/problems?limit=2").await;
    let etag = first.header("etag").to_string();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(first.header("cache-control"), "public, no-cache");
    let again = send(
        &ctx,
        Request::get("/api/v1/problems?limit=2")
            .header(header::IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), etag);
    let other = get(&ctx, "/api/v1/problems?limit=3").await;
    assert_ne!(other.header("etag"), etag);
    let error = get(&ctx, "/api/v1/problems?limit=0").await;
    assert_eq!(error.header("etag"), "");
}

#[tokio::test]
async fn cors_compression_and_request_ids() {
    let ctx = served().await;
    let preflight = send(
        &ctx,
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/search?q=x")
            .header(header::ORIGIN, "https://front.example")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert!(preflight.status.is_success());
    assert_eq!(preflight.header("access-control-allow-origin"), "*");

    for encoding in ["br", "gzip"] {
        let reply = send(
            &ctx,
            Request::get("/api/v1/problems?limit=50")
                .header(header::ACCEPT_ENCODING, encoding)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(reply.header("content-encoding"), encoding);
    }

    let echoed = send(
        &ctx,
        Request::get("/healthz")
            .header("x-request-id", "abc-123")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(echoed.header("x-request-id"), "abc-123");
    let made_up = get(&ctx, "/healthz").await;
    assert_eq!(made_up.header("x-request-id").len(), 36);
}

#[tokio::test]
async fn docs_page_and_openapi_document_are_served_without_a_cdn() {
    let ctx = served().await;
    let doc = get(&ctx, "/api/openapi.json").await.json();
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1"))
    );
    for path in [
        "/api/v1/search",
        "/api/v1/problems",
        "/api/v1/problems/{id}",
        "/api/v1/stats",
        "/healthz",
        "/api/v1/admin/reindex",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    let page = get(&ctx, "/docs/").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = String::from_utf8(page.body).expect("utf-8");
    assert!(
        !html.contains("https://"),
        "the docs page loads nothing from the internet"
    );
    for asset in [
        "/docs/swagger-ui.css",
        "/docs/swagger-ui-bundle.js",
        "/docs/swagger-initializer.js",
    ] {
        assert_eq!(get(&ctx, asset).await.status, StatusCode::OK, "{asset}");
    }
}

/// The committed `api/openapi.json` is what the code generates. Regenerate it with
/// `UPDATE_OPENAPI=1 cargo test -p catalog-tests --test api_router`.
#[test]
fn committed_openapi_document_matches_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/openapi.json");
    let generated = catalog_api::openapi()
        .to_pretty_json()
        .expect("serialise the document")
        + "\n";
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write api/openapi.json");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "api/openapi.json is out of date: run `UPDATE_OPENAPI=1 cargo test -p catalog-tests --test api_router` and commit it"
    );
}

fn admin_request(method: Method, uri: &str, token: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(token) = token {
        builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    builder.body(Body::empty()).expect("request")
}

#[tokio::test]
async fn admin_routes_are_absent_without_a_token() {
    let ctx = served().await;
    let reply = send(
        &ctx,
        admin_request(Method::POST, "/api/v1/admin/reindex", Some(TOKEN)),
    )
    .await;
    reply.problem(404, "route_not_found");
    get(&ctx, "/api/v1/admin/status")
        .await
        .problem(404, "route_not_found");
}

#[tokio::test]
async fn admin_reindex_switches_generations_and_reports_tasks() {
    let catalog = common::copy_tree(&common::bundled_catalog());
    let data = catalog.path().join(".catalog");
    build_index(catalog.path(), &data);
    let ctx = context(catalog.path(), &data, Some(TOKEN)).await;

    for token in [None, Some("wrong")] {
        let reply = send(
            &ctx,
            admin_request(Method::POST, "/api/v1/admin/reindex", token),
        )
        .await;
        reply.problem(401, "unauthorized");
        assert!(reply.header("www-authenticate").starts_with("Bearer"));
    }
    send(
        &ctx,
        admin_request(Method::GET, "/api/v1/admin/status", None),
    )
    .await
    .problem(401, "unauthorized");
    let cross_origin = send(
        &ctx,
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/admin/reindex")
            .header(header::ORIGIN, "https://front.example")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(cross_origin.header("access-control-allow-origin"), "");

    let before = get(&ctx, "/api/v1/stats").await.json()["generation"]["id"].clone();
    let etag_before = get(&ctx, "/api/v1/stats").await.header("etag").to_string();
    let article = catalog
        .path()
        .join("concurrency/race-condition-inventory.md");
    common::append(&article, "\nA zygomorphic paragraph added for the test.\n");

    let started = send(
        &ctx,
        admin_request(Method::POST, "/api/v1/admin/reindex", Some(TOKEN)),
    )
    .await;
    assert_eq!(started.status, StatusCode::ACCEPTED);
    let task = started.json();
    assert_eq!(task["status"], "running");
    let id = task["id"].as_str().expect("id").to_string();
    assert_eq!(
        started.header("location"),
        format!("/api/v1/admin/tasks/{id}")
    );
    send(
        &ctx,
        admin_request(Method::POST, "/api/v1/admin/reindex", Some(TOKEN)),
    )
    .await
    .problem(409, "reindex_running");

    let mut finished = Value::Null;
    for _ in 0..600 {
        let reply = send(
            &ctx,
            admin_request(
                Method::GET,
                &format!("/api/v1/admin/tasks/{id}"),
                Some(TOKEN),
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK);
        let body = reply.json();
        if body["status"] != "running" {
            finished = body;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(finished["status"], "succeeded", "{finished}");
    assert_eq!(finished["summary"]["parsed"], 1, "{finished}");
    assert!(finished["duration_ms"].as_f64().is_some());

    let after = get(&ctx, "/api/v1/stats").await;
    assert_ne!(after.json()["generation"]["id"], before);
    assert_eq!(after.json()["generation"]["id"], finished["generation"]);
    assert_ne!(after.header("etag"), etag_before);
    let hits = get(&ctx, "/api/v1/search?q=zygomorphic").await.json();
    assert_eq!(
        hits["hits"][0]["id"],
        "concurrency/race-condition-inventory"
    );

    let status = send(
        &ctx,
        admin_request(Method::GET, "/api/v1/admin/status", Some(TOKEN)),
    )
    .await
    .json();
    assert_eq!(status["last"]["id"], id);
    assert!(status["running"].is_null());
    send(
        &ctx,
        admin_request(Method::GET, "/api/v1/admin/tasks/999", Some(TOKEN)),
    )
    .await
    .problem(404, "task_not_found");
}

#[tokio::test]
async fn article_html_is_sanitised_and_shared_slugs_are_ambiguous() {
    let catalog = common::copy_tree(&common::bundled_catalog());
    let article = catalog
        .path()
        .join("concurrency/race-condition-inventory.md");
    let text = std::fs::read_to_string(&article).expect("read");
    let hostile = text.replacen(
        "## The Scenario\n",
        "## The Scenario\n\n<script>alert('owned')</script>\n\n<img src=\"x.png\" onerror=\"alert(1)\">\n\n[click](javascript:alert(2))\n",
        1,
    );
    assert_ne!(hostile, text, "the article has a Scenario section");
    std::fs::write(&article, hostile).expect("write");
    std::fs::copy(
        &article,
        catalog
            .path()
            .join("availability/race-condition-inventory.md"),
    )
    .expect("copy");
    let data = catalog.path().join(".catalog");
    build_index(catalog.path(), &data);
    let ctx = context(catalog.path(), &data, None).await;

    let reply = get(
        &ctx,
        "/api/v1/problems/concurrency/race-condition-inventory",
    )
    .await;
    let raw = String::from_utf8(reply.body.clone()).expect("utf-8");
    assert!(!raw.contains("<script"), "{raw}");
    assert!(!raw.contains("onerror"), "{raw}");
    assert!(!raw.contains("javascript:"), "{raw}");
    let problem = reply.json();
    let scenario = problem["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["anchor"] == "the-scenario")
        .expect("scenario section");
    assert!(
        scenario["html"]
            .as_str()
            .expect("html")
            .contains("<img src=\"x.png\"")
    );

    let search = get(&ctx, "/api/v1/search?q=alert%20owned").await;
    let raw = String::from_utf8(search.body).expect("utf-8");
    assert!(!raw.contains("<script"), "{raw}");

    let doc = get(&ctx, "/api/v1/problems/race-condition-inventory")
        .await
        .problem(409, "ambiguous_slug");
    assert_eq!(doc["candidates"].as_array().expect("candidates").len(), 2);
}

#[tokio::test]
async fn repeated_reads_come_from_the_cache_of_their_generation() {
    let ctx = served().await;
    let uri = "/api/v1/search?q=split%20brain%20two%20leaders";
    let first = get(&ctx, uri).await;
    let second = get(&ctx, uri).await;
    assert_eq!(first.status, StatusCode::OK);
    // `took_ms` is measured per search: equal bodies mean the second one was not recomputed.
    assert_eq!(first.body, second.body);
    assert_eq!(second.header("content-type"), "application/json");
    assert_eq!(first.header("etag"), second.header("etag"));

    let (catalog, data) = indexed();
    let uncached = AppContext::new(ServerSettings {
        catalog: catalog.clone(),
        data_dir: data.clone(),
        admin_token: None,
        cache_entries: 0,
    });
    uncached.reload().await.expect("load");
    let a = get(&uncached, uri).await.json();
    let b = get(&uncached, uri).await.json();
    assert_eq!(a["hits"], b["hits"]);
    assert_ne!(
        a["took_ms"], b["took_ms"],
        "without a cache every search runs"
    );
}

#[tokio::test]
async fn responses_over_the_cache_limit_are_served_not_failed() {
    let catalog = common::copy_tree(&common::bundled_catalog());
    let long = "A paragraph of the recovery notes that goes on. ".repeat(26_000);
    common::append(
        &catalog.path().join("availability/retry-storm.md"),
        &format!("\n{long}\n"),
    );
    let data = catalog.path().join(".catalog");
    build_index(catalog.path(), &data);
    let ctx = context(catalog.path(), &data, None).await;
    for _ in 0..2 {
        let reply = get(&ctx, "/api/v1/problems/availability/retry-storm").await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.body.len() > 1024 * 1024, "{} bytes", reply.body.len());
        assert_eq!(reply.json()["id"], "availability/retry-storm");
    }
}

#[tokio::test]
async fn errors_from_extractors_and_layers_are_problem_json() {
    let ctx = served().await;
    get(&ctx, "/api/v1/problems/%FF%FE")
        .await
        .problem(400, "bad_request");
    let big = vec![b'x'; 100 * 1024];
    let request = Request::get("/api/v1/search?q=retry")
        .header(header::CONTENT_LENGTH, big.len())
        .body(Body::from(big))
        .expect("request");
    send(&ctx, request).await.problem(413, "body_too_large");
}

#[tokio::test]
async fn web_pages_search_filter_page_and_show_a_problem() {
    let ctx = served().await;
    let html = |reply: &Reply| String::from_utf8_lossy(&reply.body).into_owned();

    let home = get(&ctx, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.headers[header::CONTENT_TYPE]
            .to_str()
            .is_ok_and(|value| value.starts_with("text/html")),
    );
    let page = html(&home);
    assert!(
        page.contains("<input type=\"search\" id=\"q\" name=\"q\""),
        "{page}"
    );
    assert!(page.contains("44 problems"), "{page}");
    assert!(page.contains("rel=\"next\""), "{page}");

    // A search, its facets as links that add the filter, and the filtered page.
    let found = html(&get(&ctx, "/?q=too+many+clients+already").await);
    assert!(
        found.contains("<a href=\"/problems/scalability/connection-pool-exhausted\">"),
        "{found}"
    );
    assert!(
        found.contains("href=\"/?q=too+many+clients+already&amp;category=scalability\""),
        "{found}"
    );
    let filtered = html(&get(&ctx, "/?q=too+many+clients+already&category=scalability").await);
    assert!(filtered.contains("aria-current=\"true\""), "{filtered}");
    assert!(
        filtered.contains(
            "href=\"/?q=too+many+clients+already\" aria-label=\"remove category scalability\""
        ),
        "{filtered}"
    );
    assert!(!filtered.contains("/problems/availability/"), "{filtered}");

    // What a user typed is text, never markup.
    let hostile = html(&get(&ctx, "/?q=%3Cscript%3Ealert(1)%3C/script%3E").await);
    assert!(!hostile.contains("<script>alert"), "{hostile}");
    assert!(hostile.contains("&lt;script&gt;alert(1)"), "{hostile}");

    // A problem page: sections with their anchors, incidents with sources, related links.
    let problem = get(&ctx, "/problems/availability/retry-storm").await;
    assert_eq!(problem.status, StatusCode::OK);
    let problem = html(&problem);
    for part in [
        "<h1>Retry Storm",
        "<p class=\"aliases\">Also known as: retry amplification, retry avalanche</p>",
        "<h2>Symptoms</h2>",
        "<h2>Incidents</h2>",
        "rel=\"noopener noreferrer\">source</a>",
        "id=\"how-to-recover\"",
        "<a href=\"/problems/availability/thundering-herd\">",
        "<h3>Linked from</h3>",
    ] {
        assert!(
            problem.contains(part),
            "{part} missing from the problem page"
        );
    }
    // No script from an article reaches the page: only our own, by URL.
    assert_eq!(
        problem.matches("<script").count(),
        1,
        "one script tag, ours"
    );
    let missing = get(&ctx, "/problems/no-such-problem").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.headers[header::CONTENT_TYPE]
            .to_str()
            .is_ok_and(|value| value.starts_with("text/html")),
        "a page's 404 is a page"
    );
    assert!(html(&missing).contains("Search for it"));
    // Statistics as bars drawn on the server.
    let stats = html(&get(&ctx, "/stats").await);
    assert!(
        stats.contains("44 problems documented of 1000 targeted"),
        "{stats}"
    );
    assert!(
        stats.contains(r#"<svg role="img" aria-label="Documented against target, by category""#),
        "{stats}"
    );
    assert!(stats.contains("By difficulty"), "{stats}");

    // The page's script is served from the binary; the policy allows only our own.
    let script = get(&ctx, "/assets/search.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(html(&script).contains("history.replaceState"));
    let policy = home.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii");
    assert!(policy.contains("script-src 'self'"), "{policy}");
}

fn post_json(uri: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .expect("request")
}

#[tokio::test]
async fn triage_ranks_a_pasted_log_and_observations() {
    let ctx = served().await;
    let body = serde_json::json!({
        "text": "2024-06-11 08:14:59 ERROR HikariPool-1 - Connection is not available, request timed out after 30004ms.\n\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)\n",
        "observed": ["database CPU and active queries stay low"],
        "ruled_out": ["the database refuses new connections"],
        "limit": 3
    });
    let reply = send(&ctx, post_json("/api/v1/triage", body.to_string())).await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    let first = &doc["candidates"][0];
    assert_eq!(
        first["id"], "performance/connection-pool-starvation",
        "{doc}"
    );
    assert_eq!(
        first["matched_lines"][0]["signature"],
        "HikariPool-1 - Connection is not available, request timed out after 30000ms."
    );
    assert!(first["probability"].as_f64().unwrap_or(0.0) > 0.5, "{doc}");
    assert!(
        first["explains"].as_array().is_some_and(|e| e.len() == 2),
        "{doc}"
    );
    assert!(doc["candidates"].as_array().is_some_and(|c| c.len() <= 3));
    assert_eq!(doc["lines"]["messages"], 1);
    for check in doc["next_checks"].as_array().expect("next_checks") {
        assert!(check["symptom"].is_string() && check["gain"].is_number());
        assert!(check["problems"].as_array().is_some_and(|p| !p.is_empty()));
    }
    assert!(
        first.get("evidence").is_none(),
        "only when asked for: {doc}"
    );

    // The same request asking why: each candidate's score, finding by finding.
    let mut asked = body.clone();
    asked["explain"] = serde_json::json!(true);
    let reply = send(&ctx, post_json("/api/v1/triage", asked.to_string())).await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    let first = &doc["candidates"][0];
    assert_eq!(first["id"], "performance/connection-pool-starvation");
    let evidence = first["evidence"].as_array().expect("evidence when asked");
    let kinds: Vec<&str> = evidence.iter().filter_map(|p| p["kind"].as_str()).collect();
    assert!(
        kinds.contains(&"message") && kinds.contains(&"observed"),
        "{doc}"
    );
    let sum: f64 = evidence.iter().filter_map(|p| p["log_odds"].as_f64()).sum();
    let score = first["score"].as_f64().expect("score");
    assert!((sum - score).abs() < 0.01, "{sum} against {score}");
    assert!(
        evidence.iter().all(|p| p.get("rules_out").is_none()),
        "{doc}"
    );

    // Every candidate: the refused connections describe the exhausted database clearly, so
    // the statement rules that problem out, and says so.
    asked["limit"] = serde_json::json!(50);
    let doc = send(&ctx, post_json("/api/v1/triage", asked.to_string()))
        .await
        .json();
    let exhausted = doc["candidates"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|c| c["id"] == "scalability/connection-pool-exhausted")
        })
        .expect("listed");
    let ruled_out = exhausted["evidence"]
        .as_array()
        .and_then(|parts| parts.iter().find(|p| p["kind"] == "ruled_out"))
        .expect("the ruled-out statement");
    assert_eq!(ruled_out["rules_out"], true, "{ruled_out}");
    assert!(ruled_out["log_odds"].as_f64().is_some_and(|l| l < -5.0));
}

#[tokio::test]
async fn triage_bodies_up_to_one_mib_and_bad_input_are_problem_json() {
    let ctx = served().await;
    let limit = 1024 * 1024;
    // A body of exactly 1 MiB is read; one byte more is refused before any work.
    let prefix = r#"{"text":""#;
    let suffix = r#""}"#;
    let filler = "x".repeat(limit - prefix.len() - suffix.len());
    let exact = format!("{prefix}{filler}{suffix}");
    assert_eq!(exact.len(), limit);
    let reply = send(&ctx, post_json("/api/v1/triage", exact)).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let over = format!("{prefix}{filler}x{suffix}");
    assert_eq!(over.len(), limit + 1);
    send(&ctx, post_json("/api/v1/triage", over))
        .await
        .problem(413, "body_too_large");
    // Other routes keep the small limit.
    let request = Request::post("/api/v1/search")
        .header(header::CONTENT_LENGTH, 100 * 1024)
        .body(Body::from(vec![b'x'; 100 * 1024]))
        .expect("request");
    send(&ctx, request).await.problem(413, "body_too_large");
    // Nothing to go on: no candidates, not an error.
    let empty = send(&ctx, post_json("/api/v1/triage", "{}")).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.json()["candidates"], serde_json::json!([]));
    let many: Vec<String> = (0..51).map(|i| format!("statement {i}")).collect();
    send(
        &ctx,
        post_json(
            "/api/v1/triage",
            serde_json::json!({ "observed": many }).to_string(),
        ),
    )
    .await
    .problem(400, "invalid_parameter");
    send(&ctx, post_json("/api/v1/triage", r#"{"text": 5}"#))
        .await
        .problem(422, "invalid_body");
    send(&ctx, post_json("/api/v1/triage", "[]"))
        .await
        .problem(422, "invalid_body");
    // A misspelt field is named, not read as an empty request.
    let misspelt = send(
        &ctx,
        post_json("/api/v1/triage", r#"{"observd": ["deadlock detected"]}"#),
    )
    .await
    .problem(422, "invalid_body");
    assert!(
        misspelt["detail"]
            .as_str()
            .is_some_and(|d| d.contains("observd")),
        "{misspelt}"
    );
    // `3.0` is a whole number to JSON Schema; `2.5` is not.
    let whole = send(
        &ctx,
        post_json(
            "/api/v1/triage",
            r#"{"observed": ["deadlock detected"], "limit": 3.0}"#,
        ),
    )
    .await;
    assert_eq!(whole.status, StatusCode::OK);
    send(&ctx, post_json("/api/v1/triage", r#"{"limit": 2.5}"#))
        .await
        .problem(422, "invalid_body");
    send(&ctx, post_json("/api/v1/triage", "{not json"))
        .await
        .problem(400, "bad_request");
    let request = Request::post("/api/v1/triage")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("ERROR: deadlock detected"))
        .expect("request");
    send(&ctx, request)
        .await
        .problem(415, "unsupported_media_type");
    get(&ctx, "/api/v1/triage")
        .await
        .problem(405, "method_not_allowed");
}

#[tokio::test]
async fn chains_by_id_with_slashes_or_encoded() {
    let ctx = served().await;
    let reply = get(
        &ctx,
        "/api/v1/problems/availability/retry-storm/chain?depth=2",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let doc = reply.json();
    assert_eq!(doc["id"], "availability/retry-storm");
    let targets = |list: &str| -> Vec<String> {
        doc[list]
            .as_array()
            .map(|steps| {
                steps
                    .iter()
                    .filter_map(|s| s["to"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(targets("up").contains(&"availability/timeout-domino-effect".to_string()));
    assert!(targets("down").contains(&"availability/cascading-failures".to_string()));
    assert!(
        doc["up"]
            .as_array()
            .is_some_and(|s| s.iter().all(|s| s["depth"].as_u64() <= Some(2)))
    );

    let reply = get(
        &ctx,
        "/api/v1/problems/availability%2Fretry-storm/chain?direction=down",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["up"], serde_json::json!([]));
    let reply = get(&ctx, "/api/v1/problems/retry-storm/chain?direction=up").await;
    assert_eq!(
        reply.json()["id"],
        "availability/retry-storm",
        "a unique slug works"
    );

    get(
        &ctx,
        "/api/v1/problems/availability/retry-storm/chain?direction=sideways",
    )
    .await
    .problem(400, "invalid_parameter");
    get(
        &ctx,
        "/api/v1/problems/availability/retry-storm/chain?depth=11",
    )
    .await
    .problem(400, "invalid_parameter");
    get(&ctx, "/api/v1/problems/availability/nope/chain")
        .await
        .problem(404, "problem_not_found");
    // The problem itself is still served under its path.
    let reply = get(&ctx, "/api/v1/problems/availability/retry-storm").await;
    assert_eq!(reply.json()["id"], "availability/retry-storm");
}

#[tokio::test]
async fn the_triage_page_works_as_a_plain_form() {
    let ctx = served().await;
    let form = get(&ctx, "/triage").await;
    assert_eq!(form.status, StatusCode::OK);
    let html = String::from_utf8_lossy(&form.body).into_owned();
    assert!(
        html.contains("<textarea id=\"text\" name=\"text\""),
        "{html}"
    );
    assert!(html.contains("<label for=\"observed\">"));

    let post = |body: String| {
        Request::post("/triage")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request")
    };
    let encode = |pairs: &[(&str, &str)]| -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    };
    let reply = send(
        &ctx,
        post(encode(&[
            ("text", "psql: error: FATAL:  sorry, too many clients already"),
            ("observed", ""),
            ("ruled_out", ""),
            ("yes", "new pods crash-loop at startup because the health check cannot open a database connection"),
        ])),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = String::from_utf8_lossy(&reply.body).into_owned();
    let candidates = html.find("class=\"hits candidates\"").expect("candidates");
    assert!(
        html[candidates..].find("/problems/scalability/connection-pool-exhausted")
            < html[candidates..].find("</li>"),
        "the first candidate: {html}"
    );
    // The answered check moved into what holds, and is not asked again.
    assert!(html.contains(">new pods crash-loop at startup because the health check cannot open a database connection</textarea>"), "{html}");
    assert!(!html.contains("name=\"yes\" value=\"new pods crash-loop"));
    // Each candidate can say why it ranks where it does: its score, finding by finding.
    let listed = &html[candidates..];
    let listed = &listed[..listed.find("</ol>").unwrap_or(listed.len())];
    assert!(
        listed.contains("<details class=\"why\"><summary>Why: score +"),
        "{html}"
    );
    assert!(
        listed.contains("<td><code>psql: error: FATAL:  sorry, too many clients already</code></td><td>1.00</td>"),
        "{html}"
    );

    // The one problem that fits was ruled out by name: the page says the rest only share words.
    let ruled_out = send(
        &ctx,
        post(encode(&[
            ("text", ""),
            (
                "observed",
                "memory climbs steadily until the container is killed",
            ),
            ("ruled_out", "a memory leak"),
        ])),
    )
    .await;
    let ruled_out = String::from_utf8_lossy(&ruled_out.body).into_owned();
    assert!(
        ruled_out.contains("<p class=\"hint\">None of these explains what you pasted or observed"),
        "{ruled_out}"
    );

    let empty = send(&ctx, post(encode(&[("text", " ")]))).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&empty.body).contains("role=\"alert\">nothing to triage"));
    let big = "x".repeat(1024 * 1024 + 1);
    let too_big = send(&ctx, post(encode(&[("text", &big)]))).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
}
