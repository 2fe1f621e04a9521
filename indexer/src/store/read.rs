//! Reading one problem back from a generation's database.

use serde::Serialize;
use sqlx::{Row, SqlitePool};

use crate::model::{Approach, ApproachPart, Incident, Section};
use crate::{Error, Result};

/// A typed edge, outgoing or incoming.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EdgeView {
    /// Edge type.
    pub kind: String,
    /// The other record's id (or the unresolved target as written).
    pub id: String,
    /// Whether it resolves to a record.
    pub resolved: bool,
}

/// A whole problem.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProblemView {
    /// Id.
    pub id: String,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Domain.
    pub domain: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Difficulty.
    pub difficulty: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Symptoms.
    pub symptoms: Vec<String>,
    /// Incidents.
    pub incidents: Vec<Incident>,
    /// Approaches.
    pub approaches: Vec<Approach>,
    /// Sections.
    pub sections: Vec<Section>,
    /// Edges from this record.
    pub outgoing: Vec<EdgeView>,
    /// Edges to this record.
    pub incoming: Vec<EdgeView>,
}

/// What an id or slug names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// One problem.
    Found(Box<ProblemView>),
    /// A slug shared by several problems (their ids).
    Ambiguous(Vec<String>),
    /// Nothing.
    Missing,
}

/// Loads a problem by id, or by a slug that names exactly one problem.
pub async fn load_problem(pool: &SqlitePool, id_or_slug: &str) -> Result<Lookup> {
    let fail = |err: sqlx::Error| Error::store("catalog.sqlite", err);
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM problems WHERE id = ?1 UNION SELECT id FROM problems WHERE slug = ?1 AND NOT EXISTS (SELECT 1 FROM problems WHERE id = ?1) ORDER BY 1")
        .bind(id_or_slug)
        .fetch_all(pool)
        .await
        .map_err(fail)?;
    let id = match ids.as_slice() {
        [] => return Ok(Lookup::Missing),
        [id] => id.clone(),
        _ => return Ok(Lookup::Ambiguous(ids)),
    };
    let row = sqlx::query("SELECT id, slug, title, summary, category, domain, industry, difficulty FROM problems WHERE id = ?")
        .bind(&id)
        .fetch_one(pool)
        .await
        .map_err(fail)?;
    let strings = |sql: &'static str| {
        let id = id.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .bind(id)
                .fetch_all(pool)
                .await
                .map_err(fail)
        }
    };
    let tags =
        strings("SELECT tag FROM problem_tags WHERE problem_id = ? ORDER BY position").await?;
    let symptoms =
        strings("SELECT text FROM symptoms WHERE problem_id = ? ORDER BY position").await?;
    let incidents = sqlx::query("SELECT company, year, summary, impact, source FROM incidents WHERE problem_id = ? ORDER BY position")
        .bind(&id)
        .fetch_all(pool)
        .await
        .map_err(fail)?
        .iter()
        .map(|row| Incident {
            company: row.get("company"),
            year: row.get("year"),
            summary: row.get("summary"),
            impact: row.get("impact"),
            source: row.get("source"),
        })
        .collect();
    let mut approaches: Vec<Approach> = sqlx::query(
        "SELECT number, name, anchor FROM approaches WHERE problem_id = ? ORDER BY position",
    )
    .bind(&id)
    .fetch_all(pool)
    .await
    .map_err(fail)?
    .iter()
    .map(|row| Approach {
        number: row
            .get::<Option<i64>, _>("number")
            .and_then(|n| u32::try_from(n).ok()),
        name: row.get("name"),
        anchor: row.get("anchor"),
        parts: Vec::new(),
    })
    .collect();
    for row in sqlx::query("SELECT approach_position, label, text FROM approach_parts WHERE problem_id = ? ORDER BY approach_position, position")
        .bind(&id)
        .fetch_all(pool)
        .await
        .map_err(fail)?
    {
        let position: i64 = row.get("approach_position");
        if let Some(approach) = usize::try_from(position).ok().and_then(|p| approaches.get_mut(p)) {
            approach.parts.push(ApproachPart {
                label: row.get("label"),
                text: row.get("text"),
            });
        }
    }
    let sections = sqlx::query("SELECT heading, level, anchor, role, text FROM sections WHERE problem_id = ? ORDER BY position")
        .bind(&id)
        .fetch_all(pool)
        .await
        .map_err(fail)?
        .iter()
        .map(|row| Section {
            heading: row.get("heading"),
            level: u8::try_from(row.get::<i64, _>("level")).unwrap_or(6),
            anchor: row.get("anchor"),
            role: row.get("role"),
            text: row.get("text"),
        })
        .collect();
    let outgoing = sqlx::query("SELECT kind, COALESCE(target_id, target) AS other, target_id IS NOT NULL AS resolved FROM edges WHERE source_id = ? ORDER BY position")
        .bind(&id)
        .fetch_all(pool)
        .await
        .map_err(fail)?
        .iter()
        .map(|row| EdgeView {
            kind: row.get("kind"),
            id: row.get("other"),
            resolved: row.get("resolved"),
        })
        .collect();
    let incoming = sqlx::query("SELECT kind, source_id FROM edges WHERE target_id = ? AND source_id != target_id ORDER BY source_id, position")
        .bind(&id)
        .fetch_all(pool)
        .await
        .map_err(fail)?
        .iter()
        .map(|row| EdgeView {
            kind: row.get("kind"),
            id: row.get("source_id"),
            resolved: true,
        })
        .collect();
    Ok(Lookup::Found(Box::new(ProblemView {
        id: row.get("id"),
        slug: row.get("slug"),
        title: row.get("title"),
        summary: row.get("summary"),
        category: row.get("category"),
        domain: row.get("domain"),
        industry: row.get("industry"),
        difficulty: row.get("difficulty"),
        tags,
        symptoms,
        incidents,
        approaches,
        sections,
        outgoing,
        incoming,
    })))
}
