//! `catalog index`: builds a new generation of both stores from the tree, incrementally when
//! the previous generation was built by this tool version, with this schema, from the same
//! `catalog.toml`.
//!
//! Unchanged files (by blake3 content hash) are not re-parsed, and files whose length and
//! modification time are unchanged are not even read (`ingest/scan.rs`): the previous
//! generation's database is copied, and its Tantivy segment files and text shards hard-linked
//! (neither is ever rewritten; see `store/text.rs`), then only changed and removed files are
//! applied. The new generation becomes current by an atomic switch only once both stores are
//! complete.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use rayon::prelude::*;

pub(crate) mod scan;

use self::scan::{FILES_READ_AT, FileContent, copy_file, link_tree, nanos, reusable, scan_files};
use crate::config::{Config, Severity};
use crate::lint::{Family, PathFilter, Settings, lint};
use crate::model::{Document, DocumentKind};
use crate::search::SearchWriter;
use crate::source::id_from_rel_path;
use crate::store::{
    Attachment, DataDir, FileRow, Generation, ProblemWriter, WRITE_SCHEMA, create_shard,
    open_writable, remove_dead_shards, schema_of, shard_path, shards_to_merge, sync_file, text_dir,
};
use crate::tree::{Tree, discover, kind_of, source_from_bytes};
use crate::{Error, Result};

/// Version of this tool, recorded in each generation: another version rebuilds from scratch.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How to index.
#[derive(Debug, Clone, Default)]
pub struct IndexOptions {
    /// The data folder.
    pub data_dir: PathBuf,
    /// Refuse to index when lint finds errors anywhere in the tree.
    pub strict: bool,
    /// Rebuild from scratch even when the previous generation could be reused.
    pub full: bool,
    /// Fail after both stores are written and before the switch (tests of atomicity).
    #[doc(hidden)]
    pub fail_before_switch: bool,
}

/// A file whose front matter could not be read (it is indexed by its body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Path relative to the root.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// What an index run did.
#[derive(Debug, Clone)]
pub struct IndexSummary {
    /// The generation now current.
    pub generation: Generation,
    /// Whether the previous generation was reused.
    pub incremental: bool,
    /// Markdown files in the tree.
    pub files: usize,
    /// Files parsed in this run (new or changed).
    pub parsed: usize,
    /// Files removed since the previous generation.
    pub removed: usize,
    /// Records in the generation.
    pub records: usize,
    /// Sections in the generation.
    pub sections: usize,
    /// Lint errors in the parsed files (cross-file rules excluded: run `catalog lint`).
    pub errors: usize,
    /// Lint warnings in the parsed files.
    pub warnings: usize,
    /// Parsed files whose front matter could not be read.
    pub unreadable: Vec<Unreadable>,
    /// Wall time.
    pub seconds: f64,
}

/// Prints how long each phase of a run took, on stderr, when `CATALOG_INDEX_TIMINGS` is set:
/// the index goals of DESIGN §9 are measured per phase before they are tuned.
struct PhaseTimer {
    enabled: bool,
    last: Instant,
}

impl PhaseTimer {
    fn new() -> PhaseTimer {
        PhaseTimer {
            enabled: std::env::var_os("CATALOG_INDEX_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }

    fn done(&mut self, phase: &str) {
        if self.enabled {
            eprintln!(
                "{phase}: {:.1} ms",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = Instant::now();
    }
}

/// Progress of the parse-and-write phase: (done, total).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Indexes the tree of `config` into a new generation under `options.data_dir`.
pub async fn index(
    config: Config,
    options: &IndexOptions,
    progress: Progress<'_>,
) -> Result<IndexSummary> {
    let started = Instant::now();
    let mut timer = PhaseTimer::new();
    let data = DataDir::new(&options.data_dir);
    let lock = data.lock()?;
    if options.strict {
        refuse_on_errors(&config)?;
    }
    let pruning = data.prune_ahead(&lock);
    // The tree is walked while the previous generation is read.
    let walk = {
        let config = config.clone();
        std::thread::spawn(move || discover(&config))
    };
    let config_hash = config_hash(&config);
    let previous = match (&options.full, data.current()) {
        (false, Some(generation)) => reusable(&generation, &config_hash).await,
        _ => None,
    };
    timer.done("previous generation");
    let pending = data.begin(&lock)?;
    let generation = pending.generation.clone();
    let incremental = previous.is_some();
    // The copy of the previous database (and its sync, so that the final sync only writes
    // what this run changes) runs while the tree is scanned.
    let copy = previous.as_ref().map(|previous| {
        let from = previous.generation.sqlite_path();
        let to = generation.sqlite_path();
        std::thread::spawn(move || copy_file(&from, &to).and_then(|()| sync_file(&to)))
    });
    let merged = previous
        .as_ref()
        .map(|previous| shards_to_merge(&previous.shards))
        .unwrap_or_default();
    if let Some(previous) = &previous {
        link_tree(
            &previous.generation.tantivy_dir(),
            &generation.tantivy_dir(),
        )?;
        if !previous.shards.is_empty() {
            link_tree(&text_dir(&previous.generation), &text_dir(&generation))?;
        }
    }
    // This run's text shard, named after its generation.
    let shard = shard_path(&generation, &generation.id);
    create_shard(&shard).await?;
    let found = walk
        .join()
        .map_err(|_| Error::Usage("the walk of the tree failed".into()))??;
    timer.done("discover");
    let read_at = nanos(SystemTime::now()).unwrap_or(0);
    let contents = scan_files(
        &config,
        &found.markdown,
        previous
            .as_ref()
            .and_then(|previous| Some((&previous.files, previous.files_read_at?))),
    )?;
    timer.done("stat, read and hash");
    let known: HashMap<&str, &str> = previous
        .iter()
        .flat_map(|previous| previous.files.values())
        .map(|row| (row.path.as_str(), row.content_hash.as_str()))
        .collect();
    if let Some(copy) = copy {
        copy.join()
            .map_err(|_| Error::Usage("the copy of the previous database failed".into()))??;
    }
    timer.done("copy previous stores");
    let present: HashSet<&str> = contents.iter().map(|file| file.rel.as_str()).collect();
    let removed: Vec<String> = known
        .keys()
        .filter(|path| !present.contains(*path))
        .map(|path| path.to_string())
        .collect();
    let changed: Vec<&FileContent> = contents
        .iter()
        .filter(|file| known.get(file.rel.as_str()) != Some(&file.hash.as_str()))
        .collect();

    let total = changed.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let docs: Vec<Document> = changed
        .par_iter()
        .map(|file| {
            let source = source_from_bytes(&config.root, &file.rel, file.bytes.clone());
            let doc = Document::parse(source, kind_of(&config, &file.rel));
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(n, total);
            doc
        })
        .collect();
    let unreadable = unreadable(&docs);
    timer.done("parse");
    let parsed_tree = Tree::from_parts(
        config.clone(),
        docs,
        Vec::new(),
        HashSet::new(),
        HashSet::new(),
    );
    let counts = local_findings(&parsed_tree)?;
    timer.done("lint");

    let mut attachments = vec![Attachment {
        schema: WRITE_SCHEMA.to_string(),
        path: shard.clone(),
        read_only: false,
    }];
    attachments.extend(merged.iter().filter_map(|name| {
        Some(Attachment {
            schema: schema_of(name)?,
            path: shard_path(&generation, name),
            read_only: true,
        })
    }));
    let pool = open_writable(&generation.sqlite_path(), attachments).await?;
    let mut writer = ProblemWriter::begin(&pool, &generation.sqlite_path(), &generation.id).await?;
    let mut search = SearchWriter::open(&generation.tantivy_dir(), !incremental)?;
    // Changed files are forgotten too, then written again below.
    let forgotten: Vec<String> = removed
        .iter()
        .cloned()
        .chain(changed.iter().map(|file| file.rel.clone()))
        .collect();
    writer.remove_files(&forgotten).await?;
    for path in &removed {
        search.delete(&id_from_rel_path(path));
    }
    let modified: HashMap<&str, SystemTime> = contents
        .iter()
        .map(|file| (file.rel.as_str(), file.modified))
        .collect();
    let scanned: HashMap<&str, &FileContent> = contents
        .iter()
        .map(|file| (file.rel.as_str(), file))
        .collect();
    for (index, doc) in parsed_tree.docs.iter().enumerate() {
        let rel = doc.file.rel_path.as_str();
        let file = scanned.get(rel);
        let row = FileRow {
            path: rel.to_string(),
            content_hash: file.map(|file| file.hash.clone()).unwrap_or_default(),
            bytes: file.map(|file| file.stat.0),
            modified_ns: file.and_then(|file| file.stat.1),
        };
        let shared = parsed_tree.records[index].as_ref();
        let record = shared.map(|record| &**record);
        let updated =
            crate::clock::rfc3339(modified.get(rel).copied().unwrap_or(SystemTime::UNIX_EPOCH));
        let body = &doc.file.text[doc.body.start..];
        search.delete(&doc.id);
        if let Some(shared) = shared {
            search.add(shared)?;
        }
        writer
            .put_file(
                &row,
                doc.file.text.len() as u64,
                counts.get(&index).copied().unwrap_or((0, 0)),
                record.map(|record| (record, body, updated.as_str())),
            )
            .await?;
    }
    writer.set_categories(&config).await?;
    timer.done("write");
    // The search index commits (and syncs) while the database is finished.
    let stats_path = generation.search_stats_path();
    let previous_stats = previous
        .as_ref()
        .map(|previous| previous.generation.search_stats_path());
    let search_commit =
        std::thread::spawn(move || search.commit(&stats_path, previous_stats.as_deref()));
    writer.resolve_edges().await?;
    writer.set_meta("generation_id", &generation.id).await?;
    writer
        .set_meta("built_at", &crate::clock::rfc3339(SystemTime::now()))
        .await?;
    writer.set_meta("tool_version", TOOL_VERSION).await?;
    writer.set_meta("config_hash", &config_hash).await?;
    writer
        .set_meta("search_layout", crate::search::SEARCH_LAYOUT)
        .await?;
    writer.set_meta(FILES_READ_AT, &read_at.to_string()).await?;
    let live_shards = writer.finish_text(&merged).await?;
    let (records, sections) = writer.counts().await?;
    writer.commit().await?;
    pool.close().await;
    sync_file(&generation.sqlite_path())?;
    remove_dead_shards(&generation, &live_shards)?;
    if live_shards.contains(&generation.id) {
        sync_file(&shard)?;
    }
    timer.done("finish database");
    search_commit
        .join()
        .map_err(|_| Error::Usage("the commit of the search index failed".into()))??;
    timer.done("commit search index");
    let _ = pruning.join();
    if options.fail_before_switch {
        return Err(Error::Usage(
            "index run stopped before the switch (test fail point)".into(),
        ));
    }
    let generation = data.commit(pending, &lock)?;
    timer.done("switch");
    let (errors, warnings) = counts
        .values()
        .fold((0, 0), |acc, c| (acc.0 + c.0, acc.1 + c.1));
    Ok(IndexSummary {
        generation,
        incremental,
        files: contents.len(),
        parsed: total,
        removed: removed.len(),
        records,
        sections,
        errors,
        warnings,
        unreadable,
        seconds: started.elapsed().as_secs_f64(),
    })
}

pub(crate) fn config_hash(config: &Config) -> String {
    let text = config
        .file
        .as_ref()
        .and_then(|file| std::fs::read(file).ok())
        .unwrap_or_default();
    blake3::hash(&text).to_hex().to_string()
}

/// Lint findings per parsed document, from the rules that need no other file.
fn local_findings(tree: &Tree) -> Result<HashMap<usize, (usize, usize)>> {
    let settings = Settings::from_config(&tree.config)?;
    let report = lint(tree, &settings, &PathFilter::default());
    let mut counts: HashMap<usize, (usize, usize)> = HashMap::new();
    for diagnostic in &report.diagnostics {
        if matches!(
            diagnostic.rule.family,
            Family::References | Family::Navigation
        ) || diagnostic.rule.code == "X003"
        {
            continue;
        }
        let entry = counts.entry(diagnostic.file).or_default();
        match diagnostic.severity {
            Severity::Error => entry.0 += 1,
            Severity::Warning => entry.1 += 1,
            Severity::Off => {}
        }
    }
    Ok(counts)
}

fn refuse_on_errors(config: &Config) -> Result<()> {
    let tree = Tree::load(config.clone())?;
    let settings = Settings::from_config(config)?;
    let report = lint(&tree, &settings, &PathFilter::default());
    let errors = report.count(Severity::Error);
    if errors > 0 {
        return Err(Error::Usage(format!(
            "--strict: lint found {errors} error{} (run `catalog lint` to see them); nothing was indexed",
            if errors == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

fn unreadable(docs: &[Document]) -> Vec<Unreadable> {
    docs.iter()
        .filter(|doc| doc.kind == DocumentKind::Record)
        .filter_map(|doc| {
            let reason = if let Some(error) = &doc.yaml_error {
                let (line, column) = doc.file.position(error.offset);
                format!("{line}:{column}: invalid YAML: {}", error.message)
            } else if doc
                .front_matter
                .as_ref()
                .is_some_and(|block| block.close.is_none())
            {
                "front matter is never closed".to_string()
            } else if doc.file.utf8_error.is_some() {
                "not valid UTF-8".to_string()
            } else {
                return None;
            };
            Some(Unreadable {
                path: doc.file.rel_path.clone(),
                reason,
            })
        })
        .collect()
}
