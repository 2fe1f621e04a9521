//! How far the catalog has come: counts against targets, spread and index metadata.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::{Row, SqlitePool};

use super::taxonomy::{
    CategoryCount, ValueCount, categories, difficulties, domains, impacts, industries, percentage,
};
use crate::{Error, Result};

/// The catalog's progress and the generation it was read from.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stats {
    /// Problems documented.
    pub problems: usize,
    /// Sum of the category targets.
    pub target: usize,
    /// `problems / target` in percent (null without targets).
    pub percentage: Option<f64>,
    /// Documented against target, per category in configuration order.
    pub categories: Vec<CategoryCount>,
    /// Problems per difficulty.
    pub by_difficulty: BTreeMap<String, usize>,
    /// Problems per domain.
    pub by_domain: BTreeMap<String, usize>,
    /// Problems per industry.
    pub by_industry: BTreeMap<String, usize>,
    /// Problems per kind of impact.
    pub by_impact: BTreeMap<String, usize>,
    /// Incidents cited, over all problems.
    pub incidents: usize,
    /// Solution approaches, over all problems.
    pub approaches: usize,
    /// Body sections, over all problems.
    pub sections: usize,
    /// Lint findings of the indexed files (rules that need no other file).
    pub lint: LintCounts,
    /// The generation these figures come from.
    pub generation: GenerationInfo,
}

/// Lint findings recorded at index time.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LintCounts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
}

/// Metadata of a generation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GenerationInfo {
    /// Generation id (also the content version: it changes on every index run).
    pub id: String,
    /// When it was built (RFC 3339).
    pub built_at: Option<String>,
    /// Version of the tool that built it.
    pub tool_version: Option<String>,
    /// Hash of the catalog.toml it was built with.
    pub config_hash: Option<String>,
}

fn fail(err: sqlx::Error) -> Error {
    Error::store("catalog.sqlite", err)
}

fn by_value(counts: Vec<ValueCount>) -> BTreeMap<String, usize> {
    counts
        .into_iter()
        .map(|entry| (entry.value, entry.count))
        .collect()
}

/// Reads the generation's metadata.
pub async fn generation_info(pool: &SqlitePool) -> Result<GenerationInfo> {
    let meta: BTreeMap<String, String> = sqlx::query("SELECT key, value FROM index_meta")
        .fetch_all(pool)
        .await
        .map_err(fail)?
        .iter()
        .map(|row| (row.get("key"), row.get("value")))
        .collect();
    Ok(GenerationInfo {
        id: meta.get("generation_id").cloned().unwrap_or_default(),
        built_at: meta.get("built_at").cloned(),
        tool_version: meta.get("tool_version").cloned(),
        config_hash: meta.get("config_hash").cloned(),
    })
}

/// Computes the statistics of a generation.
pub async fn stats(pool: &SqlitePool) -> Result<Stats> {
    let scalar = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(fail)
    };
    let problems = scalar("SELECT COUNT(*) FROM problems").await?;
    let categories = categories(pool).await?;
    let target = categories.iter().map(|category| category.target).sum();
    let lint = sqlx::query(
        "SELECT COALESCE(SUM(errors), 0) AS errors, COALESCE(SUM(warnings), 0) AS warnings FROM files",
    )
    .fetch_one(pool)
    .await
    .map_err(fail)?;
    Ok(Stats {
        problems,
        target,
        percentage: percentage(problems, target),
        categories,
        by_difficulty: by_value(difficulties(pool).await?),
        by_domain: by_value(domains(pool).await?),
        by_industry: by_value(industries(pool).await?),
        by_impact: by_value(impacts(pool).await?),
        incidents: scalar("SELECT COUNT(*) FROM incidents").await?,
        approaches: scalar("SELECT COALESCE(SUM(approaches), 0) FROM problems").await?,
        sections: scalar("SELECT COALESCE(SUM(sections), 0) FROM problems").await?,
        lint: LintCounts {
            errors: usize::try_from(lint.get::<i64, _>("errors")).unwrap_or(0),
            warnings: usize::try_from(lint.get::<i64, _>("warnings")).unwrap_or(0),
        },
        generation: generation_info(pool).await?,
    })
}
