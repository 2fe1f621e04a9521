//! Generations on disk: `generations/<id>/` folders and a `CURRENT` file naming the one in
//! use. Switching writes `CURRENT.tmp` and renames it over `CURRENT`, which is atomic on POSIX
//! file systems: a reader sees the old generation or the new one, never a mix.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::{Error, Result};

const CURRENT: &str = "CURRENT";
const COMPLETE: &str = "COMPLETE";
const GENERATIONS: &str = "generations";
const LOCK: &str = "index.lock";
/// A file in each generation that readers hold a shared lock on (see [`GenerationLease`]).
const LEASE: &str = "LEASE";
/// Complete generations kept besides the current one (for readers still holding them).
const KEEP: usize = 2;

/// A complete generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    /// Its id (sortable by creation time).
    pub id: String,
    /// Its folder.
    pub dir: PathBuf,
}

impl Generation {
    /// The SQLite database.
    pub fn sqlite_path(&self) -> PathBuf {
        self.dir.join("catalog.sqlite")
    }

    /// The Tantivy index folder.
    pub fn tantivy_dir(&self) -> PathBuf {
        self.dir.join("tantivy")
    }

    /// The search statistics counted after the index run's commit (see `search::stats`).
    pub fn search_stats_path(&self) -> PathBuf {
        self.dir.join("search-stats.bin")
    }
}

/// A reader's hold on a generation: while one is alive, no index run removes the generation
/// (a shared lock on its `LEASE` file, which the pruner must take exclusively first).
#[derive(Debug)]
pub struct GenerationLease {
    /// `None` on a read-only data folder, which no index run can prune either.
    _file: Option<File>,
}

impl Generation {
    /// Takes a lease on this generation, failing when it has been removed meanwhile.
    pub fn lease(&self) -> Result<GenerationLease> {
        let path = self.dir.join(LEASE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .or_else(|_| File::open(&path))
            .ok();
        if let Some(file) = &file {
            file.lock_shared().map_err(|err| Error::io(&path, err))?;
        }
        // A pruner that took the lock first has removed the folder by the time we hold it.
        if !self.dir.join(COMPLETE).is_file() {
            return Err(Error::Usage(format!(
                "generation {} was removed while it was being opened",
                self.id
            )));
        }
        Ok(GenerationLease { _file: file })
    }
}

/// A generation being written. Dropping it without [`DataDir::commit`] leaves it incomplete;
/// the next run removes it.
#[derive(Debug)]
pub struct PendingGeneration {
    /// What it will be once complete.
    pub generation: Generation,
}

/// Held while an index run writes; a second run waits for nothing and fails fast.
#[derive(Debug)]
pub struct IndexLock {
    _file: File,
}

/// The data folder.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// The data folder at `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The current generation, when there is a complete one.
    pub fn current(&self) -> Option<Generation> {
        let id = std::fs::read_to_string(self.root.join(CURRENT)).ok()?;
        let id = id.trim();
        let dir = self.root.join(GENERATIONS).join(id);
        dir.join(COMPLETE).is_file().then(|| Generation {
            id: id.to_string(),
            dir,
        })
    }

    /// Takes the index lock, or fails when another run holds it.
    pub fn lock(&self) -> Result<IndexLock> {
        std::fs::create_dir_all(&self.root).map_err(|err| Error::io(&self.root, err))?;
        let path = self.root.join(LOCK);
        let file = File::create(&path).map_err(|err| Error::io(&path, err))?;
        match file.try_lock() {
            Ok(()) => Ok(IndexLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Usage(format!(
                "another `catalog index` is running (lock held on {})",
                path.display()
            ))),
            Err(std::fs::TryLockError::Error(err)) => Err(Error::io(&path, err)),
        }
    }

    /// Creates the folder of a new generation.
    pub fn begin(&self, _lock: &IndexLock) -> Result<PendingGeneration> {
        let millis = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_millis());
        let base = self.root.join(GENERATIONS);
        let mut n = 0;
        loop {
            let id = format!("g{millis:015}-{n}");
            let dir = base.join(&id);
            if !dir.exists() {
                std::fs::create_dir_all(&dir).map_err(|err| Error::io(&dir, err))?;
                return Ok(PendingGeneration {
                    generation: Generation { id, dir },
                });
            }
            n += 1;
        }
    }

    /// Marks a generation complete and makes it current, atomically; then prunes old ones.
    pub fn commit(&self, pending: PendingGeneration, _lock: &IndexLock) -> Result<Generation> {
        let generation = pending.generation;
        let marker = generation.dir.join(COMPLETE);
        write_synced(&marker, generation.id.as_bytes())?;
        let tmp = self.root.join(format!("{CURRENT}.tmp"));
        write_synced(&tmp, generation.id.as_bytes())?;
        let current = self.root.join(CURRENT);
        std::fs::rename(&tmp, &current).map_err(|err| Error::io(&current, err))?;
        if let Ok(dir) = File::open(&self.root) {
            // Make the rename itself durable.
            let _ = dir.sync_all();
        }
        self.prune(&generation.id, KEEP);
        Ok(generation)
    }

    /// Before a run: starts removing, on another thread, what [`Self::commit`] would prune once
    /// the run's generation is current (incomplete generations, and all but the current one and
    /// the `KEEP - 1` newest others), so that the run does not wait for it after the switch.
    /// What to remove is decided before this returns: call it before [`Self::begin`].
    pub fn prune_ahead(&self, _lock: &IndexLock) -> std::thread::JoinHandle<()> {
        // Without a current generation, what is there is left over from killed runs.
        let current = self.current().map(|generation| generation.id);
        let doomed = self.doomed(current.as_deref(), KEEP.saturating_sub(1));
        std::thread::spawn(move || {
            for dir in doomed {
                remove_unleased(&dir);
            }
        })
    }

    /// Removes incomplete generations and all complete ones but `current` and the `keep`
    /// newest others.
    fn prune(&self, current: &str, keep: usize) {
        for dir in self.doomed(Some(current), keep) {
            remove_unleased(&dir);
        }
    }

    /// The generation folders [`Self::prune`] removes: incomplete ones, and complete ones but
    /// `current` and the `keep` newest others (none when there is no current generation).
    fn doomed(&self, current: Option<&str>, keep: usize) -> Vec<PathBuf> {
        let base = self.root.join(GENERATIONS);
        let Ok(entries) = std::fs::read_dir(&base) else {
            return Vec::new();
        };
        let mut ids: Vec<String> = entries
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        ids.sort();
        let mut kept = 0;
        let mut doomed = Vec::new();
        for id in ids.iter().rev() {
            if Some(id.as_str()) == current {
                continue;
            }
            let dir = base.join(id);
            if dir.join(COMPLETE).is_file() && (kept < keep || current.is_none()) {
                kept += 1;
                continue;
            }
            doomed.push(dir);
        }
        doomed
    }
}

/// Removes a generation folder unless a reader holds a lease on it (it is then left for a
/// later run, when the reader has moved on).
fn remove_unleased(dir: &Path) {
    let path = dir.join(LEASE);
    let lease = match OpenOptions::new().write(true).open(&path) {
        Ok(file) => match file.try_lock() {
            Ok(()) => Some(file),
            Err(_) => return,
        },
        Err(_) => None,
    };
    let _ = std::fs::remove_dir_all(dir);
    drop(lease);
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut file = File::create(path).map_err(|err| Error::io(path, err))?;
    file.write_all(bytes).map_err(|err| Error::io(path, err))?;
    file.sync_all().map_err(|err| Error::io(path, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generation_is_current_only_after_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = DataDir::new(dir.path());
        let lock = data.lock().expect("lock");
        let first = data.begin(&lock).expect("begin");
        assert_eq!(data.current(), None);
        let first = data.commit(first, &lock).expect("commit");
        assert_eq!(data.current(), Some(first.clone()));
        let abandoned = data.begin(&lock).expect("begin");
        assert_eq!(
            data.current(),
            Some(first.clone()),
            "an unfinished run changes nothing"
        );
        drop(abandoned);
        let second = data.begin(&lock).expect("begin");
        let second = data.commit(second, &lock).expect("commit");
        assert_eq!(data.current(), Some(second));
    }

    #[test]
    fn old_and_incomplete_generations_are_pruned() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = DataDir::new(dir.path());
        let lock = data.lock().expect("lock");
        let _incomplete = data.begin(&lock).expect("begin");
        for _ in 0..5 {
            let pending = data.begin(&lock).expect("begin");
            data.commit(pending, &lock).expect("commit");
        }
        let left = std::fs::read_dir(dir.path().join(GENERATIONS))
            .expect("list")
            .count();
        assert_eq!(left, KEEP + 1);
    }

    #[test]
    fn a_leased_generation_is_never_pruned() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = DataDir::new(dir.path());
        let lock = data.lock().expect("lock");
        let first = data.begin(&lock).expect("begin");
        let first = data.commit(first, &lock).expect("commit");
        let lease = first.lease().expect("lease");
        for _ in 0..5 {
            let pending = data.begin(&lock).expect("begin");
            data.commit(pending, &lock).expect("commit");
            data.prune_ahead(&lock).join().expect("prune");
        }
        assert!(first.dir.join(COMPLETE).is_file(), "held by a reader");
        drop(lease);
        let pending = data.begin(&lock).expect("begin");
        data.commit(pending, &lock).expect("commit");
        assert!(!first.dir.exists(), "removed once released");
        assert!(
            first.lease().is_err(),
            "a removed generation cannot be leased"
        );
    }

    #[test]
    fn half_built_generations_go_even_without_a_current_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = DataDir::new(dir.path());
        let lock = data.lock().expect("lock");
        let killed: Vec<_> = (0..3).map(|_| data.begin(&lock).expect("begin")).collect();
        data.prune_ahead(&lock).join().expect("prune");
        for pending in &killed {
            assert!(!pending.generation.dir.exists());
        }
    }

    #[test]
    fn a_second_writer_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = DataDir::new(dir.path());
        let _lock = data.lock().expect("lock");
        assert!(data.lock().is_err());
    }
}
