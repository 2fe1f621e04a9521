//! Text shards: what is read one problem at a time (body, symptoms, sections, approaches), kept
//! out of a generation's `catalog.sqlite` so that an index run copies only what is queried
//! across problems.
//!
//! Each run writes the text of the files it parsed into a new shard, `text/<name>.sqlite` in
//! its generation, and hard-links the previous generation's shards that still hold the current
//! text of some problem (a shard is never modified once its run is over, like a Tantivy
//! segment). `problems.text_shard` names the shard of each problem; rows of problems
//! re-indexed since are dead. A run merges shards when there would be more than
//! [`MAX_SHARDS`], or when more than half of a shard is dead, so that readers attach a bounded
//! number of files and dead text does not pile up.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::Executor;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use super::generation::Generation;
use crate::{Error, Result};

static TEXT_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/text");

/// Shards a generation may hold. SQLite attaches at most ten databases to a connection: a
/// writer attaches its new shard and the shards it merges, a reader every shard.
pub const MAX_SHARDS: usize = 8;

/// Folder of the shards inside a generation.
const TEXT_DIR: &str = "text";

/// The tables of a shard (same columns in every shard; each has a `problem_id`).
pub const SHARD_TABLES: [&str; 5] = [
    "problem_texts",
    "symptoms",
    "approaches",
    "approach_parts",
    "sections",
];

/// Schema name under which the index run's own shard is attached to its writer.
pub const WRITE_SCHEMA: &str = "text";

/// A shard of the previous generation, as the next run sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardUse {
    /// Its name (the id of the generation that wrote it).
    pub name: String,
    /// Problems it was written with.
    pub written: u64,
    /// Problems whose current text it still holds.
    pub live: u64,
}

/// The shards whose live rows a run moves into its own shard: all but the one with the most
/// live rows when keeping them would make more than [`MAX_SHARDS`], and any shard more than
/// half dead.
pub fn shards_to_merge(shards: &[ShardUse]) -> Vec<String> {
    let base = shards
        .iter()
        .max_by(|a, b| a.live.cmp(&b.live).then_with(|| b.name.cmp(&a.name)))
        .map(|shard| shard.name.as_str());
    let crowded = shards.len() + 1 > MAX_SHARDS;
    shards
        .iter()
        .filter(|shard| {
            (crowded && Some(shard.name.as_str()) != base) || shard.live * 2 < shard.written
        })
        .map(|shard| shard.name.clone())
        .collect()
}

/// The folder of a generation's shards.
pub fn text_dir(generation: &Generation) -> PathBuf {
    generation.dir.join(TEXT_DIR)
}

/// The file of a shard in a generation.
pub fn shard_path(generation: &Generation, name: &str) -> PathBuf {
    text_dir(generation).join(format!("{name}.sqlite"))
}

/// The names of a generation's shards, sorted.
pub fn shard_names(generation: &Generation) -> Result<Vec<String>> {
    let dir = text_dir(generation);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(Error::io(&dir, err)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| Error::io(&dir, err))?;
        let file = entry.file_name();
        let Some(name) = file.to_str().and_then(|file| file.strip_suffix(".sqlite")) else {
            continue;
        };
        if !valid_name(name) {
            return Err(Error::store(
                entry.path(),
                "a text shard's name must be letters, digits, `-` and `_`",
            ));
        }
        names.push(name.to_string());
    }
    names.sort();
    Ok(names)
}

/// Whether a shard name may be used in a schema name (shards are named by generation ids).
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The schema name under which a reader attaches a shard; `None` for a name that is not a
/// shard's (the database is read, not trusted, before it is put into SQL).
pub fn schema_of(name: &str) -> Option<String> {
    valid_name(name).then(|| format!("text_{}", name.replace('-', "_")))
}

/// Creates an empty shard with the shard schema.
pub async fn create_shard(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|err| Error::io(dir, err))?;
    }
    let url = format!("sqlite://{}", path.display());
    let options = SqliteConnectOptions::from_str(&url)
        .map_err(|err| Error::store(path, err))?
        .create_if_missing(true)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Off);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|err| Error::store(path, err))?;
    TEXT_MIGRATOR
        .run(&pool)
        .await
        .map_err(|err| Error::store(path, err))?;
    pool.close().await;
    Ok(())
}

/// A database attached to every connection of a pool.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Schema name.
    pub schema: String,
    /// The file.
    pub path: PathBuf,
    /// Opened read-only (and immutable: nothing writes a finished shard).
    pub read_only: bool,
}

impl Attachment {
    /// The `ATTACH` statement (the file as a bound parameter).
    fn statement(&self) -> String {
        format!("ATTACH DATABASE ? AS {}", self.schema)
    }

    /// The file name SQLite is given: a `file:` URI for read-only files.
    fn file_name(&self) -> String {
        let path = self.path.to_string_lossy();
        if !self.read_only {
            return path.into_owned();
        }
        let mut uri = String::from("file:");
        for byte in path.bytes() {
            if byte.is_ascii_alphanumeric() || b"/._-~".contains(&byte) {
                uri.push(char::from(byte));
            } else {
                let _ = write!(uri, "%{byte:02X}");
            }
        }
        uri.push_str("?mode=ro&immutable=1");
        uri
    }
}

/// Pool options that attach `attachments` to each new connection. A writable attachment keeps
/// its journal in memory and is not synced while written, like the database it is attached to.
pub fn attaching(options: SqlitePoolOptions, attachments: Vec<Attachment>) -> SqlitePoolOptions {
    if attachments.is_empty() {
        return options;
    }
    options.after_connect(move |conn, _meta| {
        let attachments = attachments.clone();
        Box::pin(async move {
            for attachment in &attachments {
                // Schema names come from `schema_of` or `WRITE_SCHEMA`: letters, digits, `_`.
                sqlx::query(sqlx::AssertSqlSafe(attachment.statement()))
                    .bind(attachment.file_name())
                    .execute(&mut *conn)
                    .await?;
                if !attachment.read_only {
                    let schema = &attachment.schema;
                    conn.execute(sqlx::AssertSqlSafe(format!(
                        "PRAGMA {schema}.journal_mode = MEMORY; PRAGMA {schema}.synchronous = OFF"
                    )))
                    .await?;
                }
            }
            Ok(())
        })
    })
}

/// The read-only attachments of every shard of a generation.
pub fn reader_attachments(generation: &Generation) -> Result<Vec<Attachment>> {
    let names = shard_names(generation)?;
    if names.len() > MAX_SHARDS {
        return Err(Error::store(
            text_dir(generation),
            format!(
                "{} text shards, more than the {MAX_SHARDS} a generation may hold",
                names.len()
            ),
        ));
    }
    Ok(names
        .iter()
        .filter_map(|name| {
            Some(Attachment {
                schema: schema_of(name)?,
                path: shard_path(generation, name),
                read_only: true,
            })
        })
        .collect())
}

/// Removes from a generation's text folder the shards that are not `live`.
pub fn remove_dead_shards(generation: &Generation, live: &HashSet<String>) -> Result<()> {
    for name in shard_names(generation)? {
        if !live.contains(&name) {
            let path = shard_path(generation, &name);
            std::fs::remove_file(&path).map_err(|err| Error::io(&path, err))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard(name: &str, written: u64, live: u64) -> ShardUse {
        ShardUse {
            name: name.into(),
            written,
            live,
        }
    }

    #[test]
    fn merges_only_when_crowded_or_mostly_dead() {
        assert!(shards_to_merge(&[shard("a", 10_000, 9_990)]).is_empty());
        assert_eq!(shards_to_merge(&[shard("a", 10_000, 4_000)]), ["a"]);
        let mut shards: Vec<ShardUse> = (0..MAX_SHARDS - 2)
            .map(|n| shard(&format!("g{n}"), 10, 10))
            .chain([shard("base", 10_000, 9_000)])
            .collect();
        assert!(shards_to_merge(&shards).is_empty(), "room for one more");
        shards.push(shard("last", 10, 10));
        let merged = shards_to_merge(&shards);
        assert_eq!(merged.len(), MAX_SHARDS - 1);
        assert!(!merged.contains(&"base".to_string()));
    }

    #[test]
    fn schema_names_accept_only_shard_names() {
        assert_eq!(
            schema_of("g001795305837238-0").as_deref(),
            Some("text_g001795305837238_0")
        );
        assert_eq!(schema_of("x; DROP TABLE problems"), None);
        assert_eq!(schema_of(""), None);
    }

    #[test]
    fn read_only_files_are_uris() {
        let attachment = Attachment {
            schema: "text_a".into(),
            path: PathBuf::from("/data/my gen/text/a.sqlite"),
            read_only: true,
        };
        assert_eq!(
            attachment.file_name(),
            "file:/data/my%20gen/text/a.sqlite?mode=ro&immutable=1"
        );
    }
}
