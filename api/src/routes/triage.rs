//! `POST /api/v1/triage` and `GET /api/v1/problems/{id}/chain`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use catalog_indexer::store::{Lookup, load_problem};
use catalog_indexer::triage::{Chain, TriageInputError, TriageRequest, TriageResponse};

use crate::context::AppContext;
use crate::error::{ApiError, ApiResult};
use crate::params::{ChainParams, ChainQuery, RawQuery, no_parameters};

/// The largest triage request body: 1 MiB (every other route takes 64 KiB).
pub const MAX_TRIAGE_BODY_BYTES: usize = 1 << 20;

/// Which known problems explain a pasted log and a set of observations.
///
/// `text` is log text (one message per line; stack frames are skipped). Each message is
/// normalised (times, ids, addresses, numbers, paths and quoted values become placeholders) and
/// matched against every problem's signatures; messages no signature matches are looked up with
/// the ranked search. `observed` and `ruled_out` are statements in people's words, matched to
/// the problems' symptoms. Candidates are ranked by a posterior with a leak term; each says
/// which findings it explains and which it does not. `next_checks` are the symptoms whose
/// answer is expected to separate the candidates best. The body may be up to 1 MiB; a request
/// with nothing in it is answered with no candidates.
#[utoipa::path(
    post,
    path = "/api/v1/triage",
    tag = "triage",
    request_body(content = TriageRequest, description = "Log text and statements (up to 1 MiB in all)"),
    responses(
        (status = 200, description = "Candidates and next checks", body = TriageResponse),
        (status = 400, description = "Not valid JSON, an unknown parameter, or more than 50 statements of a kind", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "Body larger than 1 MiB", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "JSON of the wrong shape", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "No index loaded yet", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn triage(
    State(ctx): State<AppContext>,
    raw: RawQuery,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> ApiResult<Json<TriageResponse>> {
    no_parameters(&raw)?;
    let Json(value) = body.map_err(|rejection| ApiError::Rejected {
        status: rejection.status(),
        detail: rejection.body_text(),
    })?;
    // An object only: serde would read a struct from an array as well.
    let wrong_shape = |detail: String| ApiError::Rejected {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        detail,
    };
    if !value.is_object() {
        return Err(wrong_shape("the body must be a JSON object".to_string()));
    }
    let request: TriageRequest =
        serde_json::from_value(value).map_err(|err| wrong_shape(err.to_string()))?;
    // An empty request is answered with no candidates; too much input is refused.
    match request.validate() {
        Ok(()) | Err(TriageInputError::Empty) => {}
        Err(err @ TriageInputError::TooLarge(_)) => {
            return Err(ApiError::Rejected {
                status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                detail: err.to_string(),
            });
        }
        Err(err @ TriageInputError::TooManyStatements(_)) => {
            return Err(ApiError::InvalidParameter(err.to_string()));
        }
    }
    let snapshot = ctx.snapshot()?;
    // Matching and scoring are CPU work: keep them off the threads that accept requests.
    let response = tokio::task::spawn_blocking(move || {
        snapshot.triage.triage(&request, Some(&snapshot.engine))
    })
    .await
    .map_err(|err| ApiError::Internal(format!("triage task failed: {err}")))??;
    Ok(Json(response))
}

/// A problem's causal chain: what causes it (`up`) and what it causes (`down`).
///
/// Steps are found breadth first over the catalog's `causes` edges, to `depth` steps. A step
/// that reaches a problem already on the chain is marked `cycle` and not followed further.
/// An id with slashes may be sent as is (`/api/v1/problems/availability/retry-storm/chain`).
#[utoipa::path(
    get,
    path = "/api/v1/problems/{id}/chain",
    tag = "problems",
    params(("id" = String, Path, min_length = 1, max_length = 500, description = "Problem id or unique slug"), ChainQuery),
    responses(
        (status = 200, description = "The chain", body = Chain),
        (status = 400, description = "Unknown or invalid parameter", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No problem has this id or slug", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "The slug names several problems", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "No index loaded yet", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn chain(
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    raw: RawQuery,
) -> ApiResult<Json<Chain>> {
    chain_of(ctx, id, raw).await
}

/// The chain of a problem named by id or slug.
pub async fn chain_of(ctx: AppContext, id: String, raw: RawQuery) -> ApiResult<Json<Chain>> {
    let params = ChainParams::parse(&raw)?;
    let snapshot = ctx.snapshot()?;
    let id = match load_problem(&snapshot.pool, &id).await? {
        Lookup::Found(view) => view.info.id,
        Lookup::Ambiguous(candidates) => {
            return Err(ApiError::AmbiguousSlug {
                slug: id,
                candidates,
            });
        }
        Lookup::Missing => return Err(ApiError::ProblemNotFound(id)),
    };
    snapshot
        .triage
        .chain(&id, params.direction, params.depth)
        .map(Json)
        .ok_or(ApiError::ProblemNotFound(id))
}
