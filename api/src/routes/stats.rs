//! `GET /api/v1/stats`.

use axum::Json;
use axum::extract::State;
use catalog_indexer::store::{Stats, stats};

use crate::context::AppContext;
use crate::error::ApiResult;
use crate::params::{RawQuery, no_parameters};

/// How far the catalog has come: documented against target per category, spread by
/// difficulty, domain and industry, incidents and approaches counted, lint findings, and the
/// generation (content version and last index time) the figures come from.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    tag = "stats",
    responses(
        (status = 200, description = "Statistics", body = Stats),
        (status = 400, description = "Unknown parameter", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "No index loaded yet", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn get_stats(State(ctx): State<AppContext>, raw: RawQuery) -> ApiResult<Json<Stats>> {
    no_parameters(&raw)?;
    let snapshot = ctx.snapshot()?;
    Ok(Json(stats(&snapshot.pool).await?))
}
