//! `GET /api/v1/search`.

use axum::Json;
use axum::extract::State;
use catalog_indexer::search::{SearchRequest, SearchResponse};

use crate::context::AppContext;
use crate::error::{ApiError, ApiResult};
use crate::params::{FilterQuery, PageQuery, RawQuery, SearchParams, SearchQuery};

/// Search problems by symptom, error message or topic.
///
/// Hits are problems, best first, each with its best-matching sections (heading, anchor and a
/// snippet with `<b>` around matched words). `total` is exact; `facets` count the matching
/// problems per value with the other filters applied (OR inside a facet, AND across facets).
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "search",
    params(SearchQuery, FilterQuery, PageQuery),
    responses(
        (status = 200, description = "A page of hits", body = SearchResponse),
        (status = 400, description = "Invalid or unknown parameter", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "No index loaded yet", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    State(ctx): State<AppContext>,
    raw: RawQuery,
) -> ApiResult<Json<SearchResponse>> {
    let params = SearchParams::parse(&raw)?;
    let snapshot = ctx.snapshot()?;
    let request = SearchRequest {
        q: params.q,
        filters: params.filters,
        limit: params.limit,
        offset: params.offset,
        explain: params.explain,
        ..SearchRequest::default()
    };
    // Scoring is CPU work of a few milliseconds: keep it off the threads that accept requests.
    let response = tokio::task::spawn_blocking(move || snapshot.engine.search(&request))
        .await
        .map_err(|err| ApiError::Internal(format!("search task failed: {err}")))??;
    Ok(Json(response))
}
