//! The SQLite side of a generation, through sqlx: schema by migrations, writes of records,
//! and read-only connections for queries.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Row, SqlitePool, Transaction};

use crate::config::Config;
use crate::model::ProblemRecord;
use crate::{Error, Result};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

fn options(path: &Path) -> Result<SqliteConnectOptions> {
    let url = format!("sqlite://{}", path.display());
    SqliteConnectOptions::from_str(&url).map_err(|err| Error::store(path, err))
}

/// Opens (creating it when missing) a generation's database for writing and brings its schema
/// up to date. The rollback journal keeps the database in one file, so a finished database can
/// be copied as a whole into the next generation.
pub async fn open_writable(path: &Path) -> Result<SqlitePool> {
    let options = options(path)?
        .create_if_missing(true)
        .foreign_keys(true)
        .journal_mode(SqliteJournalMode::Delete)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|err| Error::store(path, err))?;
    MIGRATOR
        .run(&pool)
        .await
        .map_err(|err| Error::store(path, err))?;
    Ok(pool)
}

/// Opens a complete generation's database read-only.
pub async fn open_read_only(path: &Path) -> Result<SqlitePool> {
    let options = options(path)?.read_only(true).immutable(true);
    SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .map_err(|err| Error::store(path, err))
}

/// A file as recorded by the previous run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    /// Path relative to the root.
    pub path: String,
    /// blake3 hash of the content.
    pub content_hash: String,
}

/// Writes one index run's changes in a single transaction.
pub struct ProblemWriter<'a> {
    tx: Transaction<'a, sqlx::Sqlite>,
    path: PathBuf,
}

impl<'a> ProblemWriter<'a> {
    /// Starts the transaction.
    pub async fn begin(pool: &'a SqlitePool, path: &Path) -> Result<ProblemWriter<'a>> {
        let tx = pool.begin().await.map_err(|err| Error::store(path, err))?;
        Ok(ProblemWriter {
            tx,
            path: path.to_path_buf(),
        })
    }

    fn fail(&self, err: sqlx::Error) -> Error {
        Error::store(&self.path, err)
    }

    /// The files of the previous run.
    pub async fn files(&mut self) -> Result<Vec<FileRow>> {
        let rows = sqlx::query("SELECT path, content_hash FROM files")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        Ok(rows
            .iter()
            .map(|row| FileRow {
                path: row.get("path"),
                content_hash: row.get("content_hash"),
            })
            .collect())
    }

    /// A value of `index_meta`.
    pub async fn meta(&mut self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM index_meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        Ok(row.map(|row| row.get("value")))
    }

    /// Sets a value of `index_meta`.
    pub async fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        sqlx::query("INSERT INTO index_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        Ok(())
    }

    /// Replaces the categories with those of the configuration.
    pub async fn set_categories(&mut self, config: &Config) -> Result<()> {
        sqlx::query("DELETE FROM categories")
            .execute(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        for (position, category) in config.raw.categories.iter().enumerate() {
            sqlx::query("INSERT INTO categories (key, label, emoji, target, position) VALUES (?, ?, ?, ?, ?)")
                .bind(&category.key)
                .bind(&category.label)
                .bind(&category.emoji)
                .bind(i64::from(category.target))
                .bind(position as i64)
                .execute(&mut *self.tx)
                .await
                .map_err(|err| self.fail(err))?;
        }
        Ok(())
    }

    /// Forgets a file and the problem read from it.
    pub async fn remove_file(&mut self, path: &str) -> Result<()> {
        sqlx::query("DELETE FROM problems WHERE path = ?")
            .bind(path)
            .execute(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        sqlx::query("DELETE FROM files WHERE path = ?")
            .bind(path)
            .execute(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        Ok(())
    }

    /// Records a file and, when it is a record, its problem (replacing what was there).
    pub async fn put_file(
        &mut self,
        row: &FileRow,
        size: u64,
        counts: (usize, usize),
        record: Option<(&ProblemRecord, &str, &str)>,
    ) -> Result<()> {
        self.remove_file(&row.path).await?;
        if let Some((record, body, updated_at)) = record {
            self.insert_problem(record, body, updated_at).await?;
        }
        sqlx::query("INSERT INTO files (path, problem_id, content_hash, size, errors, warnings) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(&row.path)
            .bind(record.map(|(record, _, _)| record.id.as_str()))
            .bind(&row.content_hash)
            .bind(i64::try_from(size).unwrap_or(i64::MAX))
            .bind(counts.0 as i64)
            .bind(counts.1 as i64)
            .execute(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        Ok(())
    }

    async fn insert_problem(
        &mut self,
        record: &ProblemRecord,
        body: &str,
        updated_at: &str,
    ) -> Result<()> {
        // Two files may claim one id (`a.md` beside `a.mdx`): the first one indexed keeps it.
        let taken = sqlx::query("SELECT 1 FROM problems WHERE id = ?")
            .bind(&record.id)
            .fetch_optional(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        if taken.is_some() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO problems (id, slug, path, title, summary, category, domain, industry, difficulty, body, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&record.id)
        .bind(&record.slug)
        .bind(&record.path)
        .bind(&record.title)
        .bind(&record.summary)
        .bind(&record.category)
        .bind(&record.domain)
        .bind(&record.industry)
        .bind(&record.difficulty)
        .bind(body)
        .bind(updated_at)
        .execute(&mut *self.tx)
        .await
        .map_err(|err| self.fail(err))?;
        let id = record.id.as_str();
        for (position, tag) in record.tags.iter().enumerate() {
            self.exec(
                "INSERT INTO problem_tags (problem_id, position, tag) VALUES (?, ?, ?)",
                id,
                position,
                &[tag],
            )
            .await?;
        }
        for (position, impact) in record.impact.iter().enumerate() {
            self.exec(
                "INSERT INTO problem_impacts (problem_id, position, impact) VALUES (?, ?, ?)",
                id,
                position,
                &[impact],
            )
            .await?;
        }
        for (position, symptom) in record.symptoms.iter().enumerate() {
            self.exec(
                "INSERT INTO symptoms (problem_id, position, text) VALUES (?, ?, ?)",
                id,
                position,
                &[symptom],
            )
            .await?;
        }
        for (position, incident) in record.incidents.iter().enumerate() {
            sqlx::query("INSERT INTO incidents (problem_id, position, company, year, summary, impact, source) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(id)
                .bind(position as i64)
                .bind(&incident.company)
                .bind(incident.year)
                .bind(&incident.summary)
                .bind(&incident.impact)
                .bind(&incident.source)
                .execute(&mut *self.tx)
                .await
                .map_err(|err| self.fail(err))?;
        }
        for (position, approach) in record.approaches.iter().enumerate() {
            sqlx::query("INSERT INTO approaches (problem_id, position, number, name, anchor) VALUES (?, ?, ?, ?, ?)")
                .bind(id)
                .bind(position as i64)
                .bind(approach.number.map(i64::from))
                .bind(&approach.name)
                .bind(&approach.anchor)
                .execute(&mut *self.tx)
                .await
                .map_err(|err| self.fail(err))?;
            for (part_position, part) in approach.parts.iter().enumerate() {
                sqlx::query("INSERT INTO approach_parts (problem_id, approach_position, position, label, text) VALUES (?, ?, ?, ?, ?)")
                    .bind(id)
                    .bind(position as i64)
                    .bind(part_position as i64)
                    .bind(&part.label)
                    .bind(&part.text)
                    .execute(&mut *self.tx)
                    .await
                    .map_err(|err| self.fail(err))?;
            }
        }
        for (position, section) in record.sections.iter().enumerate() {
            sqlx::query("INSERT INTO sections (problem_id, position, heading, level, anchor, role, text) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(id)
                .bind(position as i64)
                .bind(&section.heading)
                .bind(i64::from(section.level))
                .bind(&section.anchor)
                .bind(&section.role)
                .bind(&section.text)
                .execute(&mut *self.tx)
                .await
                .map_err(|err| self.fail(err))?;
        }
        for (position, edge) in record.edges.iter().enumerate() {
            sqlx::query("INSERT INTO edges (source_id, position, kind, field, target) VALUES (?, ?, ?, ?, ?)")
                .bind(id)
                .bind(position as i64)
                .bind(&edge.kind)
                .bind(&edge.field)
                .bind(&edge.target)
                .execute(&mut *self.tx)
                .await
                .map_err(|err| self.fail(err))?;
        }
        Ok(())
    }

    async fn exec(
        &mut self,
        sql: &'static str,
        id: &str,
        position: usize,
        values: &[&String],
    ) -> Result<()> {
        let mut query = sqlx::query(sql).bind(id).bind(position as i64);
        for value in values {
            query = query.bind(*value);
        }
        query
            .execute(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        Ok(())
    }

    /// Resolves every edge against the problems now present: an exact id, else a slug that
    /// names exactly one problem; NULL when neither.
    pub async fn resolve_edges(&mut self) -> Result<()> {
        sqlx::query(
            "UPDATE edges SET target_id = COALESCE(
                (SELECT id FROM problems WHERE id = edges.target),
                (SELECT MIN(id) FROM problems WHERE slug = edges.target
                 HAVING COUNT(*) = 1),
                (SELECT id FROM problems WHERE id = edges.target || '/index')
            )",
        )
        .execute(&mut *self.tx)
        .await
        .map_err(|err| self.fail(err))?;
        Ok(())
    }

    /// Numbers of problems and of sections now stored.
    pub async fn counts(&mut self) -> Result<(usize, usize)> {
        let problems: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM problems")
            .fetch_one(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        let sections: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sections")
            .fetch_one(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        Ok((problems as usize, sections as usize))
    }

    /// Commits the transaction.
    pub async fn commit(self) -> Result<()> {
        let path = self.path.clone();
        self.tx
            .commit()
            .await
            .map_err(|err| Error::store(path, err))
    }
}
