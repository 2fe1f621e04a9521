//! What an index run starts from: the files of the tree (stat, and read and hashed only when
//! they may have changed) and the previous generation it can reuse.

use std::collections::HashMap;
use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;

use super::TOOL_VERSION;
use crate::config::Config;
use crate::store::{FileRow, Generation, ShardUse, open_read_only, schema_version};
use crate::{Error, Result};

/// A file of the tree, as this run found it.
pub struct FileContent {
    /// Path relative to the root.
    pub rel: String,
    /// The content; empty when the file was not read (unchanged since the previous run).
    pub bytes: Vec<u8>,
    /// blake3 hash of the content (the previous run's, when the file was not read).
    pub hash: String,
    /// Modification time.
    pub modified: SystemTime,
    /// Length and modification time (ns since the epoch), as the file system said.
    pub stat: (u64, Option<i64>),
}

/// A file whose modification time is this close to the previous run's scan may have changed
/// again within the same timestamp tick (file systems keep coarse times): it is read again.
const RACY_NS: i64 = 2_000_000_000;

/// Metadata key: when the run began reading files, in ns since the epoch.
pub const FILES_READ_AT: &str = "files_read_at_ns";

/// Nanoseconds since the Unix epoch, when representable.
pub fn nanos(time: SystemTime) -> Option<i64> {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .ok()
        .and_then(|elapsed| i64::try_from(elapsed.as_nanos()).ok())
}

/// Stats every file and reads and hashes those that may have changed since `previous` (its
/// files by path, and when it began reading them).
pub fn scan_files(
    config: &Config,
    markdown: &[String],
    previous: Option<(&HashMap<String, FileRow>, i64)>,
) -> Result<Vec<FileContent>> {
    markdown
        .par_iter()
        .map(|rel| {
            let path = config.root.join(rel);
            let meta = std::fs::metadata(&path).map_err(|err| Error::io(&path, err))?;
            let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            let stat = (meta.len(), nanos(modified));
            let unchanged = previous.and_then(|(files, read_at)| {
                let row = files.get(rel)?;
                let settled = stat.1.is_some_and(|ns| ns < read_at - RACY_NS);
                (settled && row.bytes == Some(stat.0) && row.modified_ns == stat.1)
                    .then(|| row.content_hash.clone())
            });
            let (bytes, hash) = match unchanged {
                Some(hash) => (Vec::new(), hash),
                None => {
                    let bytes = std::fs::read(&path).map_err(|err| Error::io(&path, err))?;
                    let hash = blake3::hash(&bytes).to_hex().to_string();
                    (bytes, hash)
                }
            };
            Ok(FileContent {
                rel: rel.clone(),
                bytes,
                hash,
                modified,
                stat,
            })
        })
        .collect()
}

/// A previous generation that this run can start from.
pub struct Previous {
    pub generation: Generation,
    /// Its files, by path.
    pub files: HashMap<String, FileRow>,
    /// When its run began reading files (ns since the epoch), if it says.
    pub files_read_at: Option<i64>,
    /// Its text shards.
    pub shards: Vec<ShardUse>,
}

/// The previous generation and its files, when it was built by this version, with this
/// schema, from this configuration.
pub async fn reusable(generation: &Generation, config_hash: &str) -> Option<Previous> {
    let pool = open_read_only(&generation.sqlite_path()).await.ok()?;
    let meta = |key: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT value FROM index_meta WHERE key = ?")
                .bind(key)
                .fetch_optional(&pool)
                .await
                .ok()
                .flatten()
        }
    };
    // A database of an older schema is rebuilt, not migrated: a migration may move data out
    // of it (0003 moved the text into shards).
    let schema: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .ok()
        .flatten();
    let same = meta("tool_version").await.as_deref() == Some(TOOL_VERSION)
        && meta("config_hash").await.as_deref() == Some(config_hash)
        && meta("search_layout").await.as_deref() == Some(crate::search::SEARCH_LAYOUT)
        && schema == Some(schema_version());
    if !same {
        pool.close().await;
        return None;
    }
    // One row holding every file as JSON: sqlx hands rows from its SQLite thread one at a
    // time, which cost 40-50 ms for 10,000 rows; one string costs a few.
    let files: String = sqlx::query_scalar(
        "SELECT json_group_array(json_array(path, content_hash, bytes, modified_ns)) FROM files",
    )
    .fetch_one(&pool)
    .await
    .ok()?;
    let files: Vec<(String, String, Option<u64>, Option<i64>)> =
        serde_json::from_str(&files).ok()?;
    let shards = sqlx::query_as::<_, (String, i64, i64)>(
        "SELECT s.name, s.problems, (SELECT COUNT(*) FROM problems p WHERE p.text_shard = s.name) FROM text_shards s ORDER BY s.name",
    )
    .fetch_all(&pool)
    .await
    .ok()?
    .into_iter()
    .map(|(name, written, live)| ShardUse {
        name,
        written: u64::try_from(written).unwrap_or(0),
        live: u64::try_from(live).unwrap_or(0),
    })
    .collect();
    let files_read_at = meta(FILES_READ_AT)
        .await
        .and_then(|value| value.parse().ok());
    pool.close().await;
    Some(Previous {
        generation: generation.clone(),
        files: files
            .into_iter()
            .map(|(path, content_hash, bytes, modified_ns)| {
                let row = FileRow {
                    path: path.clone(),
                    content_hash,
                    bytes,
                    modified_ns,
                };
                (path, row)
            })
            .collect(),
        files_read_at,
        shards,
    })
}

/// Copies a file (the previous generation's database).
pub fn copy_file(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|err| Error::io(from, err))
}

/// Hard-links (or copies, where links are not possible) every file of an index folder.
pub fn link_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|err| Error::io(to, err))?;
    let entries = std::fs::read_dir(from).map_err(|err| Error::io(from, err))?;
    for entry in entries {
        let entry = entry.map_err(|err| Error::io(from, err))?;
        let name = entry.file_name();
        if name.to_string_lossy().ends_with(".lock") {
            continue;
        }
        let source = entry.path();
        let target = to.join(&name);
        if std::fs::hard_link(&source, &target).is_err() {
            std::fs::copy(&source, &target).map_err(|err| Error::io(&source, err))?;
        }
    }
    Ok(())
}
