//! `GET /api/v1/problems` and `GET /api/v1/problems/{id}`.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use catalog_indexer::model::{Approach, Incident, Signature};
use catalog_indexer::store::{
    EdgeView, ListRequest, Lookup, ProblemPage, ProblemSummary, ProblemView, SimilarView,
    list_problems, load_problem,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::context::AppContext;
use crate::error::{ApiError, ApiResult};
use crate::html::section_html;
use crate::params::{FilterQuery, ListParams, PageQuery, RawQuery, SortQuery, no_parameters};

/// A section of the article.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionView {
    /// Heading text.
    pub heading: String,
    /// Heading level (1–6).
    pub level: u8,
    /// Anchor of the heading (`#anchor` links to it on the docs site).
    pub anchor: String,
    /// The role it plays (`symptoms`, `summary`, `detection`, `recovery`, `approaches`,
    /// `incidents`, `related`, `scenario`), from the template or `[roles]`, if any.
    pub role: Option<String>,
    /// Its prose as plain text.
    pub text: String,
    /// Its content as sanitised HTML (scripts, event handlers and unsafe URLs removed).
    pub html: String,
}

/// Cross-references of a problem, each entry typed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Related {
    /// Edges written in this article (front-matter edge fields and body links).
    pub outgoing: Vec<EdgeView>,
    /// Edges written in other articles that point here.
    pub incoming: Vec<EdgeView>,
    /// Problems sharing the most tags, not already linked either way.
    pub similar: Vec<SimilarView>,
}

/// The full record of one problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemDocument {
    /// Metadata, as in lists.
    #[serde(flatten)]
    pub info: ProblemSummary,
    /// Other names people use for it (`cache stampede` for a thundering herd).
    pub aliases: Vec<String>,
    /// Symptoms, as an on-call engineer would notice them.
    pub symptoms: Vec<String>,
    /// How people have reported it in their own words (tickets, chat, pages): triage matches
    /// observations against them, but asks only symptoms as checks.
    pub reports: Vec<String>,
    /// Log lines and error messages as real software prints them, each with its source.
    pub signatures: Vec<Signature>,
    /// Kinds of impact (`revenue-loss`, `outage`, …).
    pub impact: Vec<String>,
    /// Real, public incidents.
    pub incidents: Vec<Incident>,
    /// Solution approaches with their labelled parts.
    pub approaches: Vec<Approach>,
    /// Sections in order, with anchors and sanitised HTML.
    pub sections: Vec<SectionView>,
    /// Cross-references.
    pub related: Related,
}

impl From<ProblemView> for ProblemDocument {
    fn from(view: ProblemView) -> ProblemDocument {
        let html: HashMap<String, String> = section_html(&view.body).into_iter().collect();
        let sections = view
            .sections
            .into_iter()
            .map(|section| SectionView {
                html: html.get(&section.anchor).cloned().unwrap_or_default(),
                heading: section.heading,
                level: section.level,
                anchor: section.anchor,
                role: section.role,
                text: section.text,
            })
            .collect();
        ProblemDocument {
            info: view.info,
            aliases: view.aliases,
            symptoms: view.symptoms,
            reports: view.reports,
            signatures: view.signatures,
            impact: view.impact,
            incidents: view.incidents,
            approaches: view.approaches,
            sections,
            related: Related {
                outgoing: view.outgoing,
                incoming: view.incoming,
                similar: view.similar,
            },
        }
    }
}

/// List problems with filters, a sort order and exact pagination.
#[utoipa::path(
    get,
    path = "/api/v1/problems",
    tag = "problems",
    params(FilterQuery, SortQuery, PageQuery),
    responses(
        (status = 200, description = "A page of problems", body = ProblemPage),
        (status = 400, description = "Invalid or unknown parameter", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "No index loaded yet", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn list(State(ctx): State<AppContext>, raw: RawQuery) -> ApiResult<Json<ProblemPage>> {
    let params = ListParams::parse(&raw)?;
    let snapshot = ctx.snapshot()?;
    let request = ListRequest {
        filters: params.filters,
        sort: params.sort,
        descending: params.descending,
        difficulty_order: snapshot
            .config
            .vocabulary("difficulty")
            .unwrap_or_default()
            .into_iter()
            .map(str::to_string)
            .collect(),
        limit: params.limit,
        offset: params.offset,
    };
    Ok(Json(list_problems(&snapshot.pool, &request).await?))
}

/// One problem by id (`concurrency/race-conditions`) or by a slug that names exactly one
/// problem (`race-conditions`): metadata, symptoms, incidents, approaches, sections with
/// sanitised HTML, and related problems (outgoing, incoming and computed-similar).
#[utoipa::path(
    get,
    path = "/api/v1/problems/{id}",
    tag = "problems",
    params(("id" = String, Path, min_length = 1, max_length = 500, description = "Problem id or unique slug")),
    responses(
        (status = 200, description = "The problem", body = ProblemDocument),
        (status = 400, description = "Unknown parameter", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 404, description = "No problem has this id or slug", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "The slug names several problems", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "No index loaded yet", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    raw: RawQuery,
) -> ApiResult<Json<ProblemDocument>> {
    find(ctx, id, raw).await
}

/// `GET /api/v1/problems/{first}/{*rest}`: an id written with its slashes unencoded
/// (`/api/v1/problems/concurrency/race-conditions`), the way a front end builds links.
/// Documented under `/api/v1/problems/{id}`.
pub async fn get_by_path(
    State(ctx): State<AppContext>,
    Path((first, rest)): Path<(String, String)>,
    raw: RawQuery,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    // `/api/v1/problems/availability/retry-storm/chain`: the chain of an id with slashes.
    if let Some(id) = rest
        .strip_suffix("/chain")
        .map(|rest| format!("{first}/{rest}"))
        .or_else(|| (rest == "chain").then(|| first.clone()))
    {
        return super::triage::chain_of(ctx, id, raw).await.into_response();
    }
    find(ctx, format!("{first}/{rest}"), raw)
        .await
        .into_response()
}

async fn find(ctx: AppContext, id: String, raw: RawQuery) -> ApiResult<Json<ProblemDocument>> {
    no_parameters(&raw)?;
    let snapshot = ctx.snapshot()?;
    match load_problem(&snapshot.pool, &id).await? {
        Lookup::Found(view) => Ok(Json(ProblemDocument::from(*view))),
        Lookup::Ambiguous(candidates) => Err(ApiError::AmbiguousSlug {
            slug: id,
            candidates,
        }),
        Lookup::Missing => Err(ApiError::ProblemNotFound(id)),
    }
}
