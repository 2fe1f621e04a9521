//! `GET /healthz`, `/readyz` and `/metrics`: the operational envelope.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;

use crate::context::AppContext;
use crate::error::ApiResult;

/// Liveness.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
}

/// Readiness: a generation is loaded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ready {
    /// Always `ready`.
    pub status: String,
    /// The generation served.
    pub generation: String,
    /// Problems in it.
    pub problems: usize,
}

/// The process is up and answering.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses((status = 200, description = "Alive", body = Health))
)]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".to_string(),
    })
}

/// A generation is loaded and searches can be answered.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Ready),
        (status = 503, description = "No index loaded yet", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn readyz(State(ctx): State<AppContext>) -> ApiResult<Json<Ready>> {
    let snapshot = ctx.snapshot()?;
    Ok(Json(Ready {
        status: "ready".to_string(),
        generation: snapshot.info.id.clone(),
        problems: snapshot.engine.len(),
    }))
}

/// Prometheus metrics: requests and latency by route and status, documents, generation,
/// re-index outcomes.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain"))
)]
pub async fn metrics(State(ctx): State<AppContext>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        ctx.metrics().render(),
    )
}
