//! Reading one problem back from a generation's database.

use serde::Serialize;
use sqlx::{Row, SqlitePool};

use super::list::ProblemSummary;
use super::text::schema_of;
use crate::model::{Approach, ApproachPart, Incident, Section, Signature};
use crate::{Error, Result};

/// A typed edge, outgoing or incoming.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EdgeView {
    /// Edge type (the front-matter field or `link` for a body link).
    pub kind: String,
    /// The other record's id (or the unresolved target as written).
    pub id: String,
    /// The other record's title (null when the edge resolves to nothing).
    pub title: Option<String>,
    /// Whether it resolves to a record.
    pub resolved: bool,
}

/// A problem computed to be similar: it shares tags and is not already linked.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimilarView {
    /// Always `similar`.
    pub kind: String,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The tags both problems carry, in this problem's order.
    pub shared_tags: Vec<String>,
}

/// How many computed-similar problems a record lists.
const SIMILAR: i64 = 5;

/// A whole problem.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemView {
    /// Metadata, as in lists.
    #[serde(flatten)]
    pub info: ProblemSummary,
    /// Other names people use for it (`cache stampede` for a thundering herd).
    pub aliases: Vec<String>,
    /// Symptoms.
    pub symptoms: Vec<String>,
    /// How people have reported it in their own words (triage matches them; only symptoms
    /// are asked as checks).
    pub reports: Vec<String>,
    /// Log lines and error messages real software prints for it, with their sources.
    pub signatures: Vec<Signature>,
    /// Kinds of impact (`revenue-loss`, `outage`, …).
    pub impact: Vec<String>,
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
    /// Problems sharing the most tags with this one, not already linked either way.
    pub similar: Vec<SimilarView>,
    /// The markdown body (after the front matter).
    #[serde(skip)]
    pub body: String,
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
    let row = sqlx::query("SELECT id, slug, title, summary, category, domain, industry, difficulty, updated_at, text_shard FROM problems WHERE id = ?")
        .bind(&id)
        .fetch_one(pool)
        .await
        .map_err(fail)?;
    let shard: String = row.get("text_shard");
    let Some(schema) = schema_of(&shard) else {
        return Err(Error::store(
            "catalog.sqlite",
            format!("problem {id} names no valid text shard ({shard:?})"),
        ));
    };
    // What is read one problem at a time comes from its text shard, attached as `schema`
    // (letters, digits and `_`: see `store/text.rs`); values are bound.
    let in_shard = |sql: &str| sqlx::AssertSqlSafe(sql.replace("{shard}", &schema));
    let strings = |sql: sqlx::AssertSqlSafe<String>| {
        let id = id.clone();
        async move {
            sqlx::query_scalar::<_, String>(sql)
                .bind(id)
                .fetch_all(pool)
                .await
                .map_err(fail)
        }
    };
    let tags = strings(in_shard(
        "SELECT tag FROM problem_tags WHERE problem_id = ? ORDER BY position",
    ))
    .await?;
    let impact = strings(in_shard(
        "SELECT impact FROM problem_impacts WHERE problem_id = ? ORDER BY position",
    ))
    .await?;
    let aliases = strings(in_shard(
        "SELECT alias FROM problem_aliases WHERE problem_id = ? ORDER BY position",
    ))
    .await?;
    let symptoms = strings(in_shard(
        "SELECT text FROM {shard}.symptoms WHERE problem_id = ? ORDER BY position",
    ))
    .await?;
    let reports = strings(in_shard(
        "SELECT text FROM evidence WHERE problem_id = ? AND kind = 'report' ORDER BY position",
    ))
    .await?;
    let signatures = sqlx::query(
        "SELECT text, source FROM evidence WHERE problem_id = ? AND kind = 'signature' ORDER BY position",
    )
    .bind(&id)
    .fetch_all(pool)
    .await
    .map_err(fail)?
    .iter()
    .map(|row| Signature {
        text: row.get("text"),
        source: row.get("source"),
    })
    .collect();
    let body: String = sqlx::query_scalar(in_shard(
        "SELECT body FROM {shard}.problem_texts WHERE problem_id = ?",
    ))
    .bind(&id)
    .fetch_optional(pool)
    .await
    .map_err(fail)?
    .unwrap_or_default();
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
    let mut approaches: Vec<Approach> = sqlx::query(in_shard(
        "SELECT number, name, anchor FROM {shard}.approaches WHERE problem_id = ? ORDER BY position",
    ))
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
    for row in sqlx::query(in_shard("SELECT approach_position, label, text FROM {shard}.approach_parts WHERE problem_id = ? ORDER BY approach_position, position"))
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
    let sections = sqlx::query(in_shard("SELECT heading, level, anchor, role, text FROM {shard}.sections WHERE problem_id = ? ORDER BY position"))
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
    let outgoing = edges(pool, "SELECT e.kind, COALESCE(e.target_id, e.target) AS other, p.title, e.target_id IS NOT NULL AS resolved FROM edges e LEFT JOIN problems p ON p.id = e.target_id WHERE e.source_id = ? ORDER BY e.position", &id).await?;
    let incoming = edges(pool, "SELECT e.kind, e.source_id AS other, p.title, 1 AS resolved FROM edges e JOIN problems p ON p.id = e.source_id WHERE e.target_id = ? AND e.source_id != e.target_id ORDER BY e.source_id, e.position", &id).await?;
    Ok(Lookup::Found(Box::new(ProblemView {
        info: ProblemSummary {
            id: row.get("id"),
            slug: row.get("slug"),
            title: row.get("title"),
            summary: row.get("summary"),
            category: row.get("category"),
            domain: row.get("domain"),
            industry: row.get("industry"),
            difficulty: row.get("difficulty"),
            tags,
            updated_at: row.get("updated_at"),
        },
        aliases,
        symptoms,
        reports,
        signatures,
        impact,
        incidents,
        approaches,
        sections,
        similar: similar(pool, &id).await?,
        outgoing,
        incoming,
        body,
    })))
}

/// Edges selected by `sql` (columns `kind`, `other`, `title`, `resolved`; one `?` for the id).
async fn edges(pool: &SqlitePool, sql: &'static str, id: &str) -> Result<Vec<EdgeView>> {
    Ok(sqlx::query(sql)
        .bind(id)
        .fetch_all(pool)
        .await
        .map_err(|err| Error::store("catalog.sqlite", err))?
        .iter()
        .map(|row| EdgeView {
            kind: row.get("kind"),
            id: row.get("other"),
            title: row.get("title"),
            resolved: row.get("resolved"),
        })
        .collect())
}

/// Problems sharing the most tags with `id` (ties: same category first, then by id), leaving
/// out the ones already linked to or from it.
async fn similar(pool: &SqlitePool, id: &str) -> Result<Vec<SimilarView>> {
    let fail = |err: sqlx::Error| Error::store("catalog.sqlite", err);
    let rows = sqlx::query(
        "SELECT other.problem_id AS id, p.title, COUNT(*) AS shared, \
                p.category = (SELECT category FROM problems WHERE id = ?1) AS same_category \
         FROM problem_tags mine \
         JOIN problem_tags other ON other.tag = mine.tag AND other.problem_id != mine.problem_id \
         JOIN problems p ON p.id = other.problem_id \
         WHERE mine.problem_id = ?1 \
           AND other.problem_id NOT IN (SELECT target_id FROM edges WHERE source_id = ?1 AND target_id IS NOT NULL) \
           AND other.problem_id NOT IN (SELECT source_id FROM edges WHERE target_id = ?1) \
         GROUP BY other.problem_id \
         ORDER BY shared DESC, same_category DESC, other.problem_id \
         LIMIT ?2",
    )
    .bind(id)
    .bind(SIMILAR)
    .fetch_all(pool)
    .await
    .map_err(fail)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let other: String = row.get("id");
        let shared_tags = sqlx::query_scalar(
            "SELECT mine.tag FROM problem_tags mine \
             JOIN problem_tags other ON other.tag = mine.tag AND other.problem_id = ?2 \
             WHERE mine.problem_id = ?1 ORDER BY mine.position",
        )
        .bind(id)
        .bind(&other)
        .fetch_all(pool)
        .await
        .map_err(fail)?;
        out.push(SimilarView {
            kind: "similar".to_string(),
            id: other,
            title: row.get("title"),
            shared_tags,
        });
    }
    Ok(out)
}
