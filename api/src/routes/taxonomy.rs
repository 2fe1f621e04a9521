//! `GET /api/v1/tags`, `/categories` and `/domains`: the vocabularies in use, with counts.

use axum::Json;
use axum::extract::State;
use catalog_indexer::store::{CategoryCount, ValueCount, categories, domains, tags};
use serde::Serialize;
use utoipa::ToSchema;

use crate::context::AppContext;
use crate::error::ApiResult;
use crate::params::{RawQuery, no_parameters};

/// Tags in use.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagList {
    /// Tags, most used first.
    pub tags: Vec<ValueCount>,
}

/// Categories of the catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    /// Categories in configuration order, with documented counts against targets.
    pub categories: Vec<CategoryCount>,
}

/// Domains in use.
#[derive(Debug, Serialize, ToSchema)]
pub struct DomainList {
    /// Domains, most used first.
    pub domains: Vec<ValueCount>,
}

/// Tags in use, with the number of problems carrying each.
#[utoipa::path(
    get,
    path = "/api/v1/tags",
    tag = "taxonomy",
    responses(
        (status = 200, description = "Tags", body = TagList),
        (status = 400, description = "Unknown parameter", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "No index loaded yet", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn list_tags(State(ctx): State<AppContext>, raw: RawQuery) -> ApiResult<Json<TagList>> {
    no_parameters(&raw)?;
    let snapshot = ctx.snapshot()?;
    Ok(Json(TagList {
        tags: tags(&snapshot.pool).await?,
    }))
}

/// Categories, with documented problems against each category's target.
#[utoipa::path(
    get,
    path = "/api/v1/categories",
    tag = "taxonomy",
    responses(
        (status = 200, description = "Categories", body = CategoryList),
        (status = 400, description = "Unknown parameter", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "No index loaded yet", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn list_categories(
    State(ctx): State<AppContext>,
    raw: RawQuery,
) -> ApiResult<Json<CategoryList>> {
    no_parameters(&raw)?;
    let snapshot = ctx.snapshot()?;
    Ok(Json(CategoryList {
        categories: categories(&snapshot.pool).await?,
    }))
}

/// Domains in use, with the number of problems in each.
#[utoipa::path(
    get,
    path = "/api/v1/domains",
    tag = "taxonomy",
    responses(
        (status = 200, description = "Domains", body = DomainList),
        (status = 400, description = "Unknown parameter", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
        (status = 503, description = "No index loaded yet", body = crate::error::ProblemDetails, content_type = "application/problem+json"),
    )
)]
pub async fn list_domains(
    State(ctx): State<AppContext>,
    raw: RawQuery,
) -> ApiResult<Json<DomainList>> {
    no_parameters(&raw)?;
    let snapshot = ctx.snapshot()?;
    Ok(Json(DomainList {
        domains: domains(&snapshot.pool).await?,
    }))
}
