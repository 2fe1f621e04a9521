//! Admin routes, present only when `CATALOG_ADMIN_TOKEN` is set, behind its bearer token.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use catalog_indexer::store::GenerationInfo;
use serde::Serialize;
use utoipa::ToSchema;

use crate::context::AppContext;
use crate::error::{ApiError, ApiResult};
use crate::params::{RawQuery, no_parameters};
use crate::tasks::{TaskView, Trigger, start_reindex};

/// What the server serves and what it is doing.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminStatus {
    /// The generation served.
    pub generation: GenerationInfo,
    /// Problems in it.
    pub problems: usize,
    /// The re-index running now, if any.
    pub running: Option<TaskView>,
    /// The most recent re-index, if any.
    pub last: Option<TaskView>,
}

/// Refuses requests without the admin bearer token.
pub async fn require_token(
    State(ctx): State<AppContext>,
    request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    match token {
        Some(token) if ctx.is_admin_token(token) => next.run(request).await,
        _ => ApiError::Unauthorized.into_response(),
    }
}

/// Start a re-index in the background.
///
/// Answers at once with the task; poll `GET /api/v1/admin/tasks/{id}`. When the task succeeds
/// the server serves the new generation; requests in flight finish on the previous one.
#[utoipa::path(
    post,
    path = "/api/v1/admin/reindex",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Re-index started", body = TaskView,
            headers(("location" = String, description = "URL of the task"))),
        (status = 400, description = "Unknown parameter", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong token", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "Admin is disabled (no CATALOG_ADMIN_TOKEN)", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "A re-index is already running", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn reindex(State(ctx): State<AppContext>, raw: RawQuery) -> ApiResult<Response> {
    no_parameters(&raw)?;
    let task = start_reindex(&ctx, Trigger::Api)?;
    let location = format!("/api/v1/admin/tasks/{}", task.id);
    let mut response = (StatusCode::ACCEPTED, Json(task)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// A re-index task: status, timings, what it did or why it failed.
#[utoipa::path(
    get,
    path = "/api/v1/admin/tasks/{id}",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Task id")),
    responses(
        (status = 200, description = "The task", body = TaskView),
        (status = 400, description = "Unknown parameter", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong token", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No such task, or admin is disabled", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn task(
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    raw: RawQuery,
) -> ApiResult<Json<TaskView>> {
    no_parameters(&raw)?;
    ctx.tasks()
        .get(&id)
        .map(Json)
        .ok_or(ApiError::TaskNotFound(id))
}

/// The generation served and the re-index running or last run.
#[utoipa::path(
    get,
    path = "/api/v1/admin/status",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Status", body = AdminStatus),
        (status = 400, description = "Unknown parameter", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong token", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "Admin is disabled (no CATALOG_ADMIN_TOKEN)", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "No index loaded yet", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn status(State(ctx): State<AppContext>, raw: RawQuery) -> ApiResult<Json<AdminStatus>> {
    no_parameters(&raw)?;
    let snapshot = ctx.snapshot()?;
    Ok(Json(AdminStatus {
        generation: snapshot.info.clone(),
        problems: snapshot.engine.len(),
        running: ctx.tasks().running(),
        last: ctx.tasks().last(),
    }))
}
