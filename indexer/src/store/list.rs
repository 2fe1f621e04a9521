//! Listing problems with filters, a sort order and exact pagination.

use serde::Serialize;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, AssertSqlSafe, Row, SqlitePool};

use crate::search::Filters;
use crate::{Error, Result};

/// Sort orders of a problem list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortKey {
    /// By title, A to Z.
    #[default]
    Title,
    /// By difficulty in the order of the `difficulty` vocabulary (easiest first).
    Difficulty,
    /// By category in the order of `catalog.toml`.
    Category,
    /// Most recently changed first.
    Updated,
}

impl SortKey {
    /// Every sort key, by name.
    pub const ALL: [(&'static str, SortKey); 4] = [
        ("title", SortKey::Title),
        ("difficulty", SortKey::Difficulty),
        ("category", SortKey::Category),
        ("updated", SortKey::Updated),
    ];

    /// The key named `name`.
    pub fn from_name(name: &str) -> Option<SortKey> {
        SortKey::ALL
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, sort)| *sort)
    }
}

/// A page of the problem list.
#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    /// Filters: OR within a field, AND across fields.
    pub filters: Filters,
    /// Sort order; ties are broken by id.
    pub sort: SortKey,
    /// Reverse the order.
    pub descending: bool,
    /// Difficulty values from easiest to hardest, for [`SortKey::Difficulty`].
    pub difficulty_order: Vec<String>,
    /// Page size.
    pub limit: usize,
    /// Rows skipped.
    pub offset: usize,
}

/// A problem as listed: its metadata without the body.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemSummary {
    /// Id.
    pub id: String,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// One-sentence summary.
    pub summary: Option<String>,
    /// Category key.
    pub category: Option<String>,
    /// Domain.
    pub domain: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Difficulty.
    pub difficulty: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// When the article last changed (RFC 3339).
    pub updated_at: String,
}

/// One page and the exact number of problems matching the filters.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemPage {
    /// Problems on this page.
    pub items: Vec<ProblemSummary>,
    /// Problems matching the filters, over all pages.
    pub total: usize,
    /// Page size asked for.
    pub limit: usize,
    /// Rows skipped.
    pub offset: usize,
}

/// Lists problems.
pub async fn list_problems(pool: &SqlitePool, request: &ListRequest) -> Result<ProblemPage> {
    let fail = |err: sqlx::Error| Error::store("catalog.sqlite", err);
    let (clause, args) = where_clause(&request.filters)?;
    // Only fixed fragments and `?` placeholders are formatted into the SQL; values are bound.
    let total: i64 = sqlx::query_scalar_with(
        AssertSqlSafe(format!("SELECT COUNT(*) FROM problems p {clause}")),
        args.clone(),
    )
    .fetch_one(pool)
    .await
    .map_err(fail)?;

    let mut args = args;
    let order = order_by(request, &mut args)?;
    let direction = if request.descending { "DESC" } else { "ASC" };
    let limit = i64::try_from(request.limit).unwrap_or(i64::MAX);
    let offset = i64::try_from(request.offset).unwrap_or(i64::MAX);
    args.add(limit).map_err(bind_failed)?;
    args.add(offset).map_err(bind_failed)?;
    let sql = format!(
        "SELECT p.id, p.slug, p.title, p.summary, p.category, p.domain, p.industry, p.difficulty, p.updated_at \
         FROM problems p LEFT JOIN categories c ON c.key = p.category {clause} \
         ORDER BY {order} {direction}, p.id {direction} LIMIT ? OFFSET ?"
    );
    let rows = sqlx::query_with(AssertSqlSafe(sql), args)
        .fetch_all(pool)
        .await
        .map_err(fail)?;
    let mut items: Vec<ProblemSummary> = rows
        .iter()
        .map(|row| ProblemSummary {
            id: row.get("id"),
            slug: row.get("slug"),
            title: row.get("title"),
            summary: row.get("summary"),
            category: row.get("category"),
            domain: row.get("domain"),
            industry: row.get("industry"),
            difficulty: row.get("difficulty"),
            tags: Vec::new(),
            updated_at: row.get("updated_at"),
        })
        .collect();
    // The page's tags in one query: its ids go in as a JSON array.
    let page_ids = serde_json::to_string(
        &items
            .iter()
            .map(|item| item.id.as_str())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_else(|_| "[]".to_string());
    let tag_rows = sqlx::query(
        "SELECT problem_id, tag FROM problem_tags \
         WHERE problem_id IN (SELECT value FROM json_each(?)) ORDER BY problem_id, position",
    )
    .bind(page_ids)
    .fetch_all(pool)
    .await
    .map_err(fail)?;
    let mut tags: std::collections::HashMap<String, Vec<String>> = Default::default();
    for row in tag_rows {
        tags.entry(row.get("problem_id"))
            .or_default()
            .push(row.get("tag"));
    }
    for item in &mut items {
        item.tags = tags.remove(&item.id).unwrap_or_default();
    }
    Ok(ProblemPage {
        items,
        total: usize::try_from(total).unwrap_or(0),
        limit: request.limit,
        offset: request.offset,
    })
}

/// `WHERE …` for the filters, with its bound values.
fn where_clause(filters: &Filters) -> Result<(String, SqliteArguments)> {
    let mut conditions = Vec::new();
    let mut args = SqliteArguments::default();
    let mut add = |template: &str, values: &[String]| -> Result<()> {
        if values.is_empty() {
            return Ok(());
        }
        let marks = vec!["?"; values.len()].join(", ");
        conditions.push(template.replace("{}", &marks));
        for value in values {
            args.add(value.clone()).map_err(bind_failed)?;
        }
        Ok(())
    };
    add("p.category IN ({})", &filters.category)?;
    add("p.domain IN ({})", &filters.domain)?;
    add("p.industry IN ({})", &filters.industry)?;
    add("p.difficulty IN ({})", &filters.difficulty)?;
    add(
        "p.id IN (SELECT problem_id FROM problem_tags WHERE tag IN ({}))",
        &filters.tag,
    )?;
    add(
        "p.id IN (SELECT problem_id FROM incidents WHERE company IN ({}))",
        &filters.company,
    )?;
    let clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    Ok((clause, args))
}

/// The `ORDER BY` expression of the request's sort key; values it needs are bound into `args`.
fn order_by(request: &ListRequest, args: &mut SqliteArguments) -> Result<String> {
    Ok(match request.sort {
        SortKey::Title => "p.title COLLATE NOCASE".to_string(),
        SortKey::Category => "COALESCE(c.position, 1000000), p.title COLLATE NOCASE".to_string(),
        SortKey::Updated => {
            // Newest first reads naturally as the ascending direction of "updated".
            "(0 - unixepoch(p.updated_at)), p.title COLLATE NOCASE".to_string()
        }
        SortKey::Difficulty => {
            let mut case = String::from("CASE p.difficulty");
            for (rank, value) in request.difficulty_order.iter().enumerate() {
                case.push_str(&format!(" WHEN ? THEN {rank}"));
                args.add(value.clone()).map_err(bind_failed)?;
            }
            case.push_str(&format!(
                " ELSE {} END, p.title COLLATE NOCASE",
                request.difficulty_order.len()
            ));
            if request.difficulty_order.is_empty() {
                "p.difficulty, p.title COLLATE NOCASE".to_string()
            } else {
                case
            }
        }
    })
}

fn bind_failed(err: sqlx::error::BoxDynError) -> Error {
    Error::store("catalog.sqlite", err)
}
