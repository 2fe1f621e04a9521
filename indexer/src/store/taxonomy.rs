//! The vocabularies in use: tags, categories and domains, each with its problem count.

use serde::Serialize;
use sqlx::{Row, SqlitePool};

use crate::{Error, Result};

/// A value and how many problems carry it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValueCount {
    /// The value (a tag, a domain, …).
    pub value: String,
    /// Problems carrying it.
    pub count: usize,
}

/// A category of `catalog.toml` with its progress.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryCount {
    /// Key, as used in front matter and filters.
    pub key: String,
    /// Human label.
    pub label: String,
    /// Emoji shown beside the label, if any.
    pub emoji: Option<String>,
    /// Problems documented in it.
    pub documented: usize,
    /// How many problems the catalog aims to document in it (0 when no target is set).
    pub target: usize,
    /// `documented / target` in percent, rounded to one decimal (null without a target).
    pub percentage: Option<f64>,
}

fn fail(err: sqlx::Error) -> Error {
    Error::store("catalog.sqlite", err)
}

fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

/// Tags in use, most used first, then by name.
pub async fn tags(pool: &SqlitePool) -> Result<Vec<ValueCount>> {
    value_counts(
        pool,
        "SELECT tag AS value, COUNT(DISTINCT problem_id) AS n FROM problem_tags GROUP BY tag ORDER BY n DESC, tag",
    )
    .await
}

/// Domains in use, most used first, then by name.
pub async fn domains(pool: &SqlitePool) -> Result<Vec<ValueCount>> {
    value_counts(
        pool,
        "SELECT domain AS value, COUNT(*) AS n FROM problems WHERE domain IS NOT NULL GROUP BY domain ORDER BY n DESC, domain",
    )
    .await
}

/// Industries in use, most used first, then by name.
pub async fn industries(pool: &SqlitePool) -> Result<Vec<ValueCount>> {
    value_counts(
        pool,
        "SELECT industry AS value, COUNT(*) AS n FROM problems WHERE industry IS NOT NULL GROUP BY industry ORDER BY n DESC, industry",
    )
    .await
}

/// Impacts in use (`revenue-loss`, `outage`, …), most used first, then by name.
pub async fn impacts(pool: &SqlitePool) -> Result<Vec<ValueCount>> {
    value_counts(
        pool,
        "SELECT impact AS value, COUNT(DISTINCT problem_id) AS n FROM problem_impacts GROUP BY impact ORDER BY n DESC, impact",
    )
    .await
}

/// Difficulties in use, most used first, then by name.
pub async fn difficulties(pool: &SqlitePool) -> Result<Vec<ValueCount>> {
    value_counts(
        pool,
        "SELECT difficulty AS value, COUNT(*) AS n FROM problems WHERE difficulty IS NOT NULL GROUP BY difficulty ORDER BY n DESC, difficulty",
    )
    .await
}

async fn value_counts(pool: &SqlitePool, sql: &'static str) -> Result<Vec<ValueCount>> {
    Ok(sqlx::query(sql)
        .fetch_all(pool)
        .await
        .map_err(fail)?
        .iter()
        .map(|row| ValueCount {
            value: row.get("value"),
            count: count(row.get("n")),
        })
        .collect())
}

/// Every category of the configuration in its order, with documented counts against targets.
pub async fn categories(pool: &SqlitePool) -> Result<Vec<CategoryCount>> {
    Ok(sqlx::query(
        "SELECT c.key, c.label, c.emoji, c.target, COUNT(p.id) AS documented \
         FROM categories c LEFT JOIN problems p ON p.category = c.key \
         GROUP BY c.key ORDER BY c.position",
    )
    .fetch_all(pool)
    .await
    .map_err(fail)?
    .iter()
    .map(|row| {
        let documented = count(row.get("documented"));
        let target = count(row.get("target"));
        CategoryCount {
            key: row.get("key"),
            label: row.get("label"),
            emoji: row.get("emoji"),
            documented,
            target,
            percentage: percentage(documented, target),
        }
    })
    .collect())
}

/// `part / whole` in percent with one decimal; `None` when there is no whole.
pub fn percentage(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::percentage;

    #[test]
    fn percentage_rounds_to_one_decimal_and_needs_a_target() {
        assert_eq!(percentage(1, 3), Some(33.3));
        assert_eq!(percentage(2, 3), Some(66.7));
        assert_eq!(percentage(250, 200), Some(125.0));
        assert_eq!(percentage(5, 0), None);
    }
}
