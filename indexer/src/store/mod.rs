//! The stores of a catalog: a data folder of *generations*, each a complete SQLite database
//! (structured records) and Tantivy index (full text). A generation becomes current by an
//! atomic rename only when both are complete; readers open the current one read-only.

mod generation;
mod read;
mod rows;
mod sqlite;
mod staging;

pub use generation::{DataDir, Generation, IndexLock, PendingGeneration};
pub use read::{EdgeView, Lookup, ProblemView, load_problem};
pub use sqlite::{FileRow, ProblemWriter, file_row, open_read_only, open_writable, sync_file};

/// Folder of the data, inside the catalog folder, unless `--data` says otherwise.
pub const DEFAULT_DATA_DIR: &str = ".catalog";
