//! Writing problems into a generation's Tantivy index.

use std::path::{Path, PathBuf};

use tantivy::directory::MmapDirectory;
use tantivy::indexer::UserOperation;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::schema::{SearchSchema, problem_key};
use super::stats::IndexStats;
use crate::model::ProblemRecord;
use crate::{Error, Result};

/// Memory budget of each indexing thread.
const THREAD_MEMORY: usize = 64 * 1024 * 1024;

/// An open index writer for one run.
pub struct SearchWriter {
    schema: SearchSchema,
    writer: IndexWriter,
    path: PathBuf,
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
            schema,
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
    pub fn add(&mut self, record: &ProblemRecord) -> Result<()> {
        let s = &self.schema;
        let key = problem_key(&record.id);
        let mut problem = TantivyDocument::default();
        problem.add_u64(s.key, key);
        let mut text = |field, value: &str| {
            problem.add_text(field, value);
            problem.add_text(s.all, value);
            problem.add_text(s.surface, value);
        };
        text(s.title, &record.title);
        for symptom in &record.symptoms {
            text(s.symptoms, symptom);
        }
        for tag in &record.tags {
            text(s.tags, &tag.replace(['-', '_'], " "));
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
            problem.add_text(s.reports, report);
        }
        // Stored apart as well, so that a hit found by a pasted message can show it.
        for signature in &record.signatures {
            problem.add_text(s.signatures, &signature.text);
        }
        // One batch, so that the problem and its sections land in one segment: an edit then
        // deletes documents of one segment only, and the search statistics of the others are
        // reused (see `stats`).
        let mut batch = vec![UserOperation::Add(problem)];
        for section in record.sections.iter().filter(|section| section.level > 1) {
            let mut unit = TantivyDocument::default();
            unit.add_u64(s.key, key);
            unit.add_text(s.anchor, &section.anchor);
            unit.add_text(s.heading, &section.heading);
            unit.add_text(s.text, &section.text);
            batch.push(UserOperation::Add(unit));
        }
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
