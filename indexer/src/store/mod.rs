//! The stores of a catalog: a data folder of *generations*, each a complete SQLite database
//! (structured records, with their text in attached shards) and Tantivy index (full text). A generation becomes current by an
//! atomic rename only when both are complete; readers open the current one read-only.

mod generation;
mod list;
mod read;
mod rows;
mod sqlite;
mod staging;
mod stats;
mod taxonomy;
mod text;

pub use generation::{DataDir, Generation, GenerationLease, IndexLock, PendingGeneration};
pub use list::{ListRequest, ProblemPage, ProblemSummary, SortKey, list_problems};
pub use read::{EdgeView, Lookup, ProblemView, SimilarView, load_problem};
pub use sqlite::{
    FileRow, ProblemWriter, open_generation, open_read_only, open_writable, schema_version,
    sync_file,
};
pub use stats::{GenerationInfo, LintCounts, Stats, generation_info, stats};
pub use taxonomy::{
    CategoryCount, ValueCount, categories, difficulties, domains, impacts, industries, percentage,
    tags,
};
pub use text::{
    Attachment, MAX_SHARDS, ShardUse, WRITE_SCHEMA, create_shard, remove_dead_shards, schema_of,
    shard_names, shard_path, shards_to_merge, text_dir,
};

/// The database handle of a generation, re-exported so that callers need not name `sqlx`.
pub use sqlx::SqlitePool;

/// Folder of the data, inside the catalog folder, unless `--data` says otherwise.
pub const DEFAULT_DATA_DIR: &str = ".catalog";
