//! Every route, merged in one place with its middleware; the OpenAPI document comes from the
//! same routers, so a route cannot exist without being described.

pub mod admin;
pub mod health;
pub mod pages;
pub mod problems;
pub mod search;
pub mod stats;
pub mod taxonomy;
pub mod triage;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Method, StatusCode, header};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::openapi::OpenApi as OpenApiDocument;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

use crate::context::AppContext;
use crate::middleware::{conditional_get, method_not_allowed, not_found, problem_errors, track};

/// Header carrying the request id, taken from the client or made up.
pub const REQUEST_ID: &str = "x-request-id";
/// Longest time a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest request body (triage takes more: [`triage::MAX_TRIAGE_BODY_BYTES`]).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "catalog",
        description = "Search and browse a catalog of production failures: problems, their \
                       symptoms, real incidents, solution approaches and cross-references. \
                       Errors are RFC 9457 `application/problem+json` documents with a stable `code`.",
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::ProblemDetails)),
    tags(
        (name = "search", description = "Full-text search with facets"),
        (name = "problems", description = "Problems: list and full records"),
        (name = "taxonomy", description = "Tags, categories and domains in use"),
        (name = "stats", description = "Progress of the catalog"),
        (name = "triage", description = "From a pasted log and observations to the problems that explain them"),
        (name = "operations", description = "Health, readiness and metrics"),
        (name = "admin", description = "Re-indexing (only with CATALOG_ADMIN_TOKEN set)"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDocument) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Read endpoints: open to any origin, cacheable.
fn read_routes() -> OpenApiRouter<AppContext> {
    OpenApiRouter::new()
        .routes(routes!(search::search))
        .routes(routes!(problems::list))
        .routes(routes!(problems::get))
        .routes(routes!(triage::chain))
        .routes(routes!(taxonomy::list_tags))
        .routes(routes!(taxonomy::list_categories))
        .routes(routes!(taxonomy::list_domains))
        .routes(routes!(stats::get_stats))
}

/// Triage: a POST whose body may be up to 1 MiB.
fn triage_routes() -> OpenApiRouter<AppContext> {
    OpenApiRouter::new().routes(routes!(triage::triage))
}

fn operation_routes() -> OpenApiRouter<AppContext> {
    OpenApiRouter::new()
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(health::metrics))
}

fn admin_routes() -> OpenApiRouter<AppContext> {
    OpenApiRouter::new()
        .routes(routes!(admin::reindex))
        .routes(routes!(admin::task))
        .routes(routes!(admin::status))
}

/// The OpenAPI document of every route, admin included (admin routes answer 404 when the
/// server runs without a token).
pub fn openapi() -> OpenApiDocument {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    let (_, read) = read_routes().split_for_parts();
    let (_, operations) = operation_routes().split_for_parts();
    let (_, triage) = triage_routes().split_for_parts();
    let (_, admin) = admin_routes().split_for_parts();
    doc.merge(read);
    doc.merge(operations);
    doc.merge(triage);
    doc.merge(admin);
    doc
}

/// The whole application: routes, docs page and middleware.
pub fn app(ctx: AppContext) -> Router {
    let (read, _) = read_routes().split_for_parts();
    let read = read
        .route(
            "/api/v1/problems/{first}/{*rest}",
            get(problems::get_by_path),
        )
        // Set before the CORS layer so that preflight requests still reach it.
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            conditional_get,
        ))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::HEAD])
                .allow_headers([header::IF_NONE_MATCH, HeaderName::from_static(REQUEST_ID)])
                .expose_headers([header::ETAG, HeaderName::from_static(REQUEST_ID)]),
        );
    let (operations, _) = operation_routes().split_for_parts();
    let operations = operations.method_not_allowed_fallback(method_not_allowed);
    // The web pages: HTML for people, from the same search and store as the API.
    let pages = Router::new()
        .route("/", get(pages::home))
        .route("/problems/{*id}", get(pages::problem))
        .route("/stats", get(pages::stats_page))
        .route("/assets/search.js", get(pages::search_js))
        .method_not_allowed_fallback(method_not_allowed);
    // Triage takes a pasted log: its body limit is raised to 1 MiB, on this route only. POST
    // from other origins is allowed (it changes nothing on the server).
    let (triage, _) = triage_routes().split_for_parts();
    let triage = triage
        .method_not_allowed_fallback(method_not_allowed)
        .layer(RequestBodyLimitLayer::new(triage::MAX_TRIAGE_BODY_BYTES))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::POST])
                .allow_headers([header::CONTENT_TYPE, HeaderName::from_static(REQUEST_ID)])
                .expose_headers([HeaderName::from_static(REQUEST_ID)]),
        );
    // The triage page takes the same pasted log as a form: percent-encoding can triple its
    // size on the wire, and the decoded text is checked against 1 MiB.
    let triage_page = Router::new()
        .route("/triage", get(pages::triage_form).post(pages::triage_page))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(3 * triage::MAX_TRIAGE_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(
            3 * triage::MAX_TRIAGE_BODY_BYTES,
        ));
    let mut router = Router::new().merge(read).merge(operations).merge(pages);
    if ctx.admin_enabled() {
        // No CORS layer: browsers on other origins cannot call admin routes.
        let (admin, _) = admin_routes().split_for_parts();
        let admin = admin.method_not_allowed_fallback(method_not_allowed);
        router = router.merge(admin.layer(axum::middleware::from_fn_with_state(
            ctx.clone(),
            admin::require_token,
        )));
    }
    let request_id = HeaderName::from_static(REQUEST_ID);
    router
        .merge(SwaggerUi::new("/docs").url("/api/openapi.json", openapi()))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .merge(triage)
        .merge(triage_page)
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), track))
        .with_state(ctx)
        .layer(CompressionLayer::new().gzip(true).br(true))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn(problem_errors))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let id = request
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|value| value.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        uri = %request.uri(),
                        request_id = %id,
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}
