//! Writing problems into a generation's Tantivy index.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::MmapDirectory;
use tantivy::indexer::UserOperation;
use tantivy::schema::document::{ReferenceValue, ReferenceValueLeaf};
use tantivy::schema::{Document, Field, Value};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

use super::schema::{SearchSchema, problem_key};
use super::stats::IndexStats;
use crate::model::ProblemRecord;
use crate::{Error, Result};

/// Memory budget of each indexing thread.
const THREAD_MEMORY: usize = 64 * 1024 * 1024;

/// An open index writer for one run.
pub struct SearchWriter {
    schema: Arc<SearchSchema>,
    writer: IndexWriter<ProblemDoc>,
    path: PathBuf,
}

/// A problem as its documents read it.
#[derive(Debug)]
struct SharedProblem {
    key: u64,
    record: Arc<ProblemRecord>,
    /// Its tags as words (`read-replica` is `read replica`).
    tags: Vec<String>,
}

/// One document of a problem: the problem's own (`section` is `None`) or the one of its
/// section at that index.
#[derive(Debug)]
struct ProblemDoc {
    problem: Arc<SharedProblem>,
    schema: Arc<SearchSchema>,
    section: Option<usize>,
}

/// A value of a [`ProblemDoc`], borrowed from its record.
#[derive(Debug, Clone, Copy)]
enum DocValue<'a> {
    Key(u64),
    Text(&'a str),
}

impl<'a> Value<'a> for DocValue<'a> {
    type ArrayIter = std::iter::Empty<DocValue<'a>>;
    type ObjectIter = std::iter::Empty<(&'a str, DocValue<'a>)>;

    fn as_value(&self) -> ReferenceValue<'a, Self> {
        match *self {
            DocValue::Key(key) => ReferenceValueLeaf::U64(key).into(),
            DocValue::Text(text) => ReferenceValueLeaf::Str(text).into(),
        }
    }
}

impl Document for ProblemDoc {
    type Value<'a> = DocValue<'a>;
    type FieldsValuesIter<'a> = std::vec::IntoIter<(Field, DocValue<'a>)>;

    fn iter_fields_and_values<'a>(&'a self) -> Self::FieldsValuesIter<'a> {
        let s = &*self.schema;
        let problem = &*self.problem;
        let record = &*problem.record;
        let mut values = vec![(s.key, DocValue::Key(problem.key))];
        if let Some(section) = self.section.and_then(|index| record.sections.get(index)) {
            values.push((s.anchor, DocValue::Text(&section.anchor)));
            values.push((s.heading, DocValue::Text(&section.heading)));
            values.push((s.text, DocValue::Text(&section.text)));
            return values.into_iter();
        }
        // Each text in its field, then in `all` and `surface`.
        let mut text = |field: Field, value: &'a str| {
            values.push((field, DocValue::Text(value)));
            values.push((s.all, DocValue::Text(value)));
            values.push((s.surface, DocValue::Text(value)));
        };
        text(s.title, &record.title);
        for alias in &record.aliases {
            text(s.title, alias);
        }
        for symptom in &record.symptoms {
            text(s.symptoms, symptom);
        }
        for tag in &problem.tags {
            text(s.tags, tag);
        }
        // What software prints for the problem: a pasted error message finds its article even
        // when no section quotes it.
        for signature in &record.signatures {
            text(s.body, &signature.text);
        }
        if let Some(summary) = &record.summary {
            text(s.summary, summary);
        }
        for section in &record.sections {
            match section.role.as_deref() {
                // A list of other problems: their names are not this one's words.
                Some("related") => continue,
                Some("symptoms") => text(s.symptoms, &section.text),
                Some("summary") => text(s.summary, &section.text),
                _ => text(s.body, &section.text),
            }
            if section.level > 1 {
                text(s.headings, &section.heading);
            }
        }
        // Not in `all` or `surface`: they change neither a search's coverage nor its typos.
        for report in &record.reports {
            values.push((s.reports, DocValue::Text(report)));
        }
        // Stored apart as well, so that a hit found by a pasted message can show it.
        for signature in &record.signatures {
            values.push((s.signatures, DocValue::Text(&signature.text)));
        }
        values.into_iter()
    }
}

impl SearchWriter {
    /// Opens the index in `dir`, creating it when the folder holds none. A run that writes
    /// every document (`whole`) indexes on two threads: tokenising and stemming are most of
    /// its time. A run that rewrites a few changed files keeps one, so that each commit adds
    /// one segment, not one per thread, and merges stay rare.
    pub fn open(dir: &Path, whole: bool) -> Result<SearchWriter> {
        let schema = SearchSchema::new();
        let threads = if whole { 2 } else { 1 };
        std::fs::create_dir_all(dir).map_err(|err| Error::io(dir, err))?;
        let directory = MmapDirectory::open(dir).map_err(|err| Error::store(dir, err))?;
        let index = Index::open_or_create(directory, schema.schema.clone())
            .map_err(|err| Error::store(dir, err))?;
        super::stems::register(&index);
        let writer = index
            .writer_with_num_threads(threads, threads * THREAD_MEMORY)
            .map_err(|err| Error::store(dir, err))?;
        Ok(SearchWriter {
            schema: Arc::new(schema),
            writer,
            path: dir.to_path_buf(),
        })
    }

    /// Removes a problem's documents.
    pub fn delete(&mut self, id: &str) {
        self.writer
            .delete_term(Term::from_field_u64(self.schema.key, problem_key(id)));
    }

    /// Adds a problem: its document, then one per section below the title.
    pub fn add(&mut self, record: &Arc<ProblemRecord>) -> Result<()> {
        let problem = Arc::new(SharedProblem {
            key: problem_key(&record.id),
            record: Arc::clone(record),
            tags: record
                .tags
                .iter()
                .map(|tag| tag.replace(['-', '_'], " "))
                .collect(),
        });
        // Each document borrows from the record (a whole run's producer outpaces its indexing
        // threads, and Tantivy queues up to 10,000 batches: copies would hold most of the
        // catalog twice). One batch, so that the problem and its sections land in one segment:
        // an edit then deletes documents of one segment only, and the search statistics of the
        // others are reused (see `stats`).
        let batch: Vec<UserOperation<ProblemDoc>> = std::iter::once(None)
            .chain(
                record
                    .sections
                    .iter()
                    .enumerate()
                    .filter(|(_, section)| section.level > 1)
                    .map(|(index, _)| Some(index)),
            )
            .map(|section| {
                UserOperation::Add(ProblemDoc {
                    problem: Arc::clone(&problem),
                    schema: Arc::clone(&self.schema),
                    section,
                })
            })
            .collect();
        self.writer
            .run(batch)
            .map_err(|err| Error::store(&self.path, err))?;
        Ok(())
    }

    /// Commits everything added and deleted, waits for merges to finish, and stores the
    /// search statistics of the result at `stats` (so that opening it need not count them),
    /// reusing those of `previous` (the previous generation's) for the segments they hold.
    pub fn commit(mut self, stats: &Path, previous: Option<&Path>) -> Result<()> {
        self.writer
            .commit()
            .map_err(|err| Error::store(&self.path, err))?;
        let index = self.writer.index().clone();
        self.writer
            .wait_merging_threads()
            .map_err(|err| Error::store(&self.path, err))?;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|err| Error::store(&self.path, err))?;
        IndexStats::count_and_store(&reader.searcher(), &self.schema, stats, previous)
    }
}
