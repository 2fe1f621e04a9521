//! The SQLite side of a generation, through sqlx: schema by migrations, writes of records,
//! and read-only connections for queries.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use std::collections::HashSet;

use sqlx::{SqlitePool, Transaction};

use super::generation::Generation;
use super::staging::Tables;
use super::text::{
    Attachment, SHARD_TABLES, WRITE_SCHEMA, attaching, reader_attachments, schema_of,
};
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
///
/// The journal is kept in memory and nothing is synced while writing: the database belongs to
/// a generation that no reader sees before [`sync_file`] and the switch, and a run that dies
/// half-way leaves a generation that is never made current. A rollback still works.
///
/// `attachments` are attached to the connection: the run's own text shard (see
/// `store/text.rs`) and the shards it merges.
pub async fn open_writable(path: &Path, attachments: Vec<Attachment>) -> Result<SqlitePool> {
    let options = options(path)?
        .create_if_missing(true)
        .foreign_keys(true)
        .journal_mode(SqliteJournalMode::Memory)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Off)
        // 64 MiB of page cache (negative: KiB) keeps the indexes of a large build in memory.
        .pragma("cache_size", "-65536");
    let pool = attaching(SqlitePoolOptions::new().max_connections(1), attachments)
        .connect_with(options)
        .await
        .map_err(|err| Error::store(path, err))?;
    MIGRATOR
        .run(&pool)
        .await
        .map_err(|err| Error::store(path, err))?;
    Ok(pool)
}

/// Makes a finished database durable before its generation becomes current (it is written
/// without syncs, see [`open_writable`]).
pub fn sync_file(path: &Path) -> Result<()> {
    std::fs::File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(|err| Error::io(path, err))
}

/// Opens a complete generation read-only: its database, with its text shards attached (the
/// read side of problems needs both).
pub async fn open_generation(generation: &Generation) -> Result<SqlitePool> {
    let path = generation.sqlite_path();
    let options = options(&path)?.read_only(true).immutable(true);
    attaching(
        SqlitePoolOptions::new().max_connections(4),
        reader_attachments(generation)?,
    )
    .connect_with(options)
    .await
    .map_err(|err| Error::store(&path, err))
}

/// The latest migration of the generation database that this build knows.
pub fn schema_version() -> i64 {
    MIGRATOR
        .iter()
        .map(|migration| migration.version)
        .max()
        .unwrap_or(0)
}

/// Opens a complete generation's database read-only, without its text shards.
pub async fn open_read_only(path: &Path) -> Result<SqlitePool> {
    let options = options(path)?.read_only(true).immutable(true);
    SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .map_err(|err| Error::store(path, err))
}

/// A file as recorded by the previous run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileRow {
    /// Path relative to the root.
    pub path: String,
    /// blake3 hash of the content.
    pub content_hash: String,
    /// Length in bytes, as the file system said when the file was read.
    pub bytes: Option<u64>,
    /// Modification time in nanoseconds since the Unix epoch, as the file system said.
    pub modified_ns: Option<i64>,
}

/// Files staged before their rows are written.
const FILES_PER_FLUSH: usize = 128;

/// Writes one index run's changes in a single transaction. Rows are staged and written in
/// batches (see `store/rows.rs`); reads through the writer see them once [`Self::flush`] ran,
/// which every method that reads does first.
pub struct ProblemWriter<'a> {
    tx: Transaction<'a, sqlx::Sqlite>,
    path: PathBuf,
    /// Whether the database held no problem when the run began.
    fresh: bool,
    /// Problem ids written (or staged) by this run.
    claimed: HashSet<String>,
    /// Edge targets whose resolution this run may change (see [`Self::resolve_edges`]).
    affected: HashSet<String>,
    staged_files: usize,
    tables: Tables,
    /// The text shard this run writes (attached as `WRITE_SCHEMA`).
    shard: String,
}

impl<'a> ProblemWriter<'a> {
    /// Starts the transaction. The text of the problems written goes to the shard `shard`,
    /// attached to the pool as `WRITE_SCHEMA` (see [`open_writable`]).
    pub async fn begin(
        pool: &'a SqlitePool,
        path: &Path,
        shard: &str,
    ) -> Result<ProblemWriter<'a>> {
        let mut tx = pool.begin().await.map_err(|err| Error::store(path, err))?;
        let any: Option<i64> = sqlx::query_scalar("SELECT 1 FROM problems LIMIT 1")
            .fetch_optional(&mut *tx)
            .await
            .map_err(|err| Error::store(path, err))?;
        Ok(ProblemWriter {
            tx,
            path: path.to_path_buf(),
            fresh: any.is_none(),
            claimed: HashSet::new(),
            affected: HashSet::new(),
            staged_files: 0,
            tables: Tables::new(),
            shard: shard.to_string(),
        })
    }

    /// Writes every staged row.
    pub async fn flush(&mut self) -> Result<()> {
        for table in self.tables.all() {
            if table.len() > 0 {
                table
                    .flush(&mut self.tx)
                    .await
                    .map_err(|err| Error::store(&self.path, err))?;
            }
        }
        self.staged_files = 0;
        Ok(())
    }

    fn fail(&self, err: sqlx::Error) -> Error {
        Error::store(&self.path, err)
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

    /// Forgets files and the problems read from them, in as few statements as possible.
    pub async fn remove_files(&mut self, paths: &[String]) -> Result<()> {
        self.flush().await?;
        if self.fresh {
            return Ok(());
        }
        // Well under SQLite's parameter limit.
        for chunk in paths.chunks(10_000) {
            let marks = vec!["?"; chunk.len()].join(", ");
            // A constant query and `?` marks only.
            let sql = format!("SELECT id, slug FROM problems WHERE path IN ({marks})");
            let mut query = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql));
            for path in chunk {
                query = query.bind(path);
            }
            let gone = query
                .fetch_all(&mut *self.tx)
                .await
                .map_err(|err| self.fail(err))?;
            for (id, slug) in gone {
                self.affect(&id, &slug);
            }
            for table in ["problems", "files"] {
                let sql = format!("DELETE FROM {table} WHERE path IN ({marks})");
                // A constant table name and `?` marks only.
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for path in chunk {
                    query = query.bind(path);
                }
                query
                    .execute(&mut *self.tx)
                    .await
                    .map_err(|err| self.fail(err))?;
            }
        }
        Ok(())
    }

    /// Records a file and, when it is a record, its problem. A file that was recorded before
    /// must have been removed first ([`Self::remove_files`]). Rows are staged, and written in
    /// batches.
    pub async fn put_file(
        &mut self,
        row: &FileRow,
        size: u64,
        counts: (usize, usize),
        record: Option<(&ProblemRecord, &str, &str)>,
    ) -> Result<()> {
        if let Some((record, body, updated_at)) = record
            && !self.taken(&record.id).await?
        {
            self.stage_problem(record, body, updated_at);
        }
        self.tables.files.push([
            (&row.path).into(),
            record.map(|(record, _, _)| record.id.as_str()).into(),
            (&row.content_hash).into(),
            i64::try_from(size).unwrap_or(i64::MAX).into(),
            counts.0.into(),
            counts.1.into(),
            row.bytes
                .map(|bytes| i64::try_from(bytes).unwrap_or(i64::MAX))
                .into(),
            row.modified_ns.into(),
        ]);
        self.staged_files += 1;
        if self.staged_files >= FILES_PER_FLUSH {
            self.flush().await?;
        }
        Ok(())
    }

    /// Whether a problem already has this id. Two files may claim one id (`a.md` beside
    /// `a.mdx`): the first one indexed keeps it.
    async fn taken(&mut self, id: &str) -> Result<bool> {
        if self.claimed.contains(id) {
            return Ok(true);
        }
        if !self.fresh {
            let found = sqlx::query("SELECT 1 FROM problems WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await
                .map_err(|err| self.fail(err))?;
            if found.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn stage_problem(&mut self, record: &ProblemRecord, body: &str, updated_at: &str) {
        self.claimed.insert(record.id.clone());
        self.affect(&record.id, &record.slug);
        self.tables
            .stage_problem(record, body, updated_at, &self.shard);
    }

    /// Notes that a problem appears or disappears: edges written as its id, its slug, or its
    /// id without `/index` may now resolve differently.
    fn affect(&mut self, id: &str, slug: &str) {
        if self.fresh {
            return;
        }
        self.affected.insert(id.to_string());
        self.affected.insert(slug.to_string());
        if let Some(folder) = id.strip_suffix("/index") {
            self.affected.insert(folder.to_string());
        }
    }

    /// Resolves edges against the problems now present: an exact id, else a slug that names
    /// exactly one problem, else `id/index`; NULL when none. A database built from scratch
    /// resolves every edge; a copied one only the edges this run may have changed: new or
    /// unresolved ones, and those written as the id or slug of a problem added or removed.
    pub async fn resolve_edges(&mut self) -> Result<()> {
        self.flush().await?;
        const RESOLVE: &str = "UPDATE edges SET target_id = COALESCE(
                (SELECT id FROM problems WHERE id = edges.target),
                (SELECT MIN(id) FROM problems WHERE slug = edges.target
                 HAVING COUNT(*) = 1),
                (SELECT id FROM problems WHERE id = edges.target || '/index')
            )";
        if self.fresh {
            sqlx::query(RESOLVE)
                .execute(&mut *self.tx)
                .await
                .map_err(|err| self.fail(err))?;
            return Ok(());
        }
        let affected: Vec<String> = self.affected.drain().collect();
        let mut chunks: Vec<&[String]> = affected.chunks(10_000).collect();
        if chunks.is_empty() {
            chunks.push(&[]);
        }
        for chunk in chunks {
            let marks = vec!["?"; chunk.len()].join(", ");
            // A constant statement and `?` marks only.
            let sql = format!("{RESOLVE} WHERE target_id IS NULL OR target IN ({marks})");
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for target in chunk {
                query = query.bind(target);
            }
            query
                .execute(&mut *self.tx)
                .await
                .map_err(|err| self.fail(err))?;
        }
        Ok(())
    }

    /// Moves the live text of the shards `merged` (attached read-only under their
    /// `schema_of` names) into the run's shard, records the shards still in use, and returns
    /// their names: the others can leave the generation.
    pub async fn finish_text(&mut self, merged: &[String]) -> Result<HashSet<String>> {
        self.flush().await?;
        for name in merged {
            let Some(schema) = schema_of(name) else {
                continue;
            };
            // Schema and table names are constants or from `schema_of`; values are bound.
            for table in SHARD_TABLES {
                let sql = format!(
                    "INSERT INTO {WRITE_SCHEMA}.{table} SELECT t.* FROM {schema}.{table} t \
                     JOIN main.problems p ON p.id = t.problem_id WHERE p.text_shard = ?"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(name)
                    .execute(&mut *self.tx)
                    .await
                    .map_err(|err| self.fail(err))?;
            }
            sqlx::query("UPDATE main.problems SET text_shard = ? WHERE text_shard = ?")
                .bind(&self.shard)
                .bind(name)
                .execute(&mut *self.tx)
                .await
                .map_err(|err| self.fail(err))?;
        }
        sqlx::query(
            "DELETE FROM text_shards WHERE name NOT IN (SELECT DISTINCT text_shard FROM problems)",
        )
        .execute(&mut *self.tx)
        .await
        .map_err(|err| self.fail(err))?;
        sqlx::query("INSERT INTO text_shards (name, problems) SELECT ?1, COUNT(*) FROM problems WHERE text_shard = ?1 HAVING COUNT(*) > 0")
            .bind(&self.shard)
            .execute(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        let live: Vec<String> = sqlx::query_scalar("SELECT name FROM text_shards")
            .fetch_all(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        Ok(live.into_iter().collect())
    }

    /// Numbers of problems and of sections now stored.
    pub async fn counts(&mut self) -> Result<(usize, usize)> {
        self.flush().await?;
        let problems: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM problems")
            .fetch_one(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        let sections: i64 = sqlx::query_scalar("SELECT COALESCE(SUM(sections), 0) FROM problems")
            .fetch_one(&mut *self.tx)
            .await
            .map_err(|err| self.fail(err))?;
        Ok((problems as usize, sections as usize))
    }

    /// Commits the transaction.
    pub async fn commit(mut self) -> Result<()> {
        self.flush().await?;
        let path = self.path.clone();
        self.tx
            .commit()
            .await
            .map_err(|err| Error::store(path, err))
    }
}
