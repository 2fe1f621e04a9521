//! What BM25 needs to know of an index that its segments do not say exactly, counted over live
//! documents. Re-indexing changed files leaves the replaced documents in their segments until
//! Tantivy merges them, and a segment merged from segments with deletions only estimates its
//! token counts: read from the segments, the same catalog would rank slightly differently after
//! a few edits than indexed afresh.
//!
//! Counting walks the postings of every ranked field, so an index run counts once, after its
//! commit, and stores the counts beside the index (`search-stats.bin`), segment by segment,
//! each with the state of the segment it was counted on (its id, size and deletions). Opening
//! a generation reads the counts of the segments that still match and counts the others: a
//! generation built by an older version, a missing or damaged file. An index run reuses the
//! previous generation's counts the same way, so a re-index after a few edits walks only the
//! segments they touched. The file only saves time, it never decides a ranking.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use tantivy::postings::Postings;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Searcher, SegmentReader, TERMINATED};

use super::schema::SearchSchema;
use super::words::DeadWords;
use crate::{Error, Result};

/// The first bytes of the file, with its layout's version.
const MAGIC: &[u8; 8] = b"CATSTAT2";

/// Counts over live documents.
#[derive(Debug, Default, PartialEq)]
pub struct IndexStats {
    /// Per ranked field.
    pub fields: HashMap<Field, FieldStats>,
    /// Per field and word: how many deleted documents still hold it.
    pub dead: DeadWords,
}

/// What BM25 needs to know of a ranked field, counted over live documents.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FieldStats {
    /// How many documents hold it (a non-zero length).
    pub holders: u64,
    /// Its tokens in all of them.
    pub tokens: u64,
}

/// The counts of one segment in one state, keyed by [`segment_key`].
type Segments = HashMap<String, IndexStats>;

impl IndexStats {
    /// The counts over the segments `searcher` reads: stored at `stored` for the segments
    /// that still match, counted for the others.
    pub fn open(
        searcher: &Searcher,
        schema: &SearchSchema,
        stored: &Path,
    ) -> tantivy::Result<Self> {
        let known = load(stored).unwrap_or_default();
        Ok(total(&gather(searcher, schema, known)?))
    }

    /// Counts over the segments `searcher` reads and stores the counts at `path`, replacing
    /// the file in one rename. Segments whose counts `previous` (an earlier run's file) holds
    /// in the same state are not walked again.
    pub fn count_and_store(
        searcher: &Searcher,
        schema: &SearchSchema,
        path: &Path,
        previous: Option<&Path>,
    ) -> Result<()> {
        let known = previous.and_then(load).unwrap_or_default();
        let segments = gather(searcher, schema, known).map_err(|err| Error::store(path, err))?;
        let bytes = encode(&segments);
        let partial = path.with_extension("bin.partial");
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&partial)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&partial, path)
        };
        write().map_err(|err| Error::io(path, err))
    }
}

/// Names a segment in its present state: counts are valid for exactly this one. A segment
/// only ever gains deletions, so its id, size and count of deletions say which documents live.
fn segment_key(reader: &SegmentReader) -> String {
    format!(
        "{}:{}:{}",
        reader.segment_id().uuid_string(),
        reader.max_doc(),
        reader.num_deleted_docs()
    )
}

/// The counts of each segment `searcher` reads: taken from `known` when they were counted on
/// the segment in its present state, else counted.
fn gather(
    searcher: &Searcher,
    schema: &SearchSchema,
    mut known: Segments,
) -> tantivy::Result<Segments> {
    let mut segments = Segments::new();
    for reader in searcher.segment_readers() {
        let key = segment_key(reader);
        let counts = match known.remove(&key) {
            Some(counts) => counts,
            None => count(reader, schema)?,
        };
        segments.insert(key, counts);
    }
    Ok(segments)
}

/// The counts of all segments together.
fn total(segments: &Segments) -> IndexStats {
    let mut stats = IndexStats::default();
    for counts in segments.values() {
        for (field, field_stats) in &counts.fields {
            let sum = stats.fields.entry(*field).or_default();
            sum.holders += field_stats.holders;
            sum.tokens += field_stats.tokens;
        }
        for (word, dead) in &counts.dead {
            *stats.dead.entry(word.clone()).or_default() += dead;
        }
    }
    stats
}

/// Counts what BM25 reads over one segment's live documents: each ranked field's holders and
/// tokens, and how many deleted documents still hold each word.
fn count(reader: &SegmentReader, schema: &SearchSchema) -> tantivy::Result<IndexStats> {
    // Triage's statement search ranks `reports`; its holders are not counted, as before.
    let held = [
        schema.title,
        schema.symptoms,
        schema.tags,
        schema.summary,
        schema.headings,
        schema.body,
        schema.heading,
        schema.text,
    ];
    let ranked: Vec<Field> = held.into_iter().chain([schema.reports]).collect();
    let mut stats = IndexStats::default();
    let alive = reader.alive_bitset();
    for field in held {
        let norms = reader.get_fieldnorms_reader(field)?;
        let holders = (0..reader.max_doc())
            .filter(|doc| {
                norms.fieldnorm_id(*doc) > 0 && alive.is_none_or(|alive| alive.is_alive(*doc))
            })
            .count() as u64;
        stats.fields.entry(field).or_default().holders += holders;
    }
    // Every field whose words are weighed: the ranked ones, `all` for coverage and `surface`
    // for typos (these two only for their deleted documents).
    for field in ranked.iter().copied().chain([schema.all, schema.surface]) {
        let is_ranked = ranked.contains(&field);
        if !is_ranked && !reader.has_deletes() {
            continue;
        }
        let tokens = walk(reader, field, &mut stats.dead)?;
        if is_ranked {
            stats.fields.entry(field).or_default().tokens += tokens;
        }
    }
    Ok(stats)
}

/// One field of one segment: the tokens of its live documents; per word, the deleted documents
/// holding it are added to `dead_words`.
fn walk(reader: &SegmentReader, field: Field, dead_words: &mut DeadWords) -> tantivy::Result<u64> {
    let alive = reader.alive_bitset();
    let inverted = reader.inverted_index(field)?;
    let mut tokens = 0u64;
    let mut terms = inverted.terms().stream()?;
    while terms.advance() {
        let mut postings =
            inverted.read_postings_from_terminfo(terms.value(), IndexRecordOption::WithFreqs)?;
        let mut dead = 0u64;
        let mut doc: DocId = postings.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                tokens += u64::from(postings.term_freq());
            } else {
                dead += 1;
            }
            doc = postings.advance();
        }
        if dead > 0 {
            *dead_words.entry((field, terms.key().to_vec())).or_default() += dead;
        }
    }
    Ok(tokens)
}

/// The file: `MAGIC`, then per segment its key, its fields and its dead words; lengths and
/// counts little-endian.
fn encode(segments: &Segments) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(MAGIC);
    let mut keys: Vec<&String> = segments.keys().collect();
    keys.sort();
    out.extend_from_slice(&(keys.len() as u64).to_le_bytes());
    for key in keys {
        let stats = &segments[key];
        put_bytes(&mut out, key.as_bytes());
        let mut fields: Vec<(&Field, &FieldStats)> = stats.fields.iter().collect();
        fields.sort_by_key(|(field, _)| field.field_id());
        out.extend_from_slice(&(fields.len() as u64).to_le_bytes());
        for (field, counts) in fields {
            out.extend_from_slice(&field.field_id().to_le_bytes());
            out.extend_from_slice(&counts.holders.to_le_bytes());
            out.extend_from_slice(&counts.tokens.to_le_bytes());
        }
        out.extend_from_slice(&(stats.dead.len() as u64).to_le_bytes());
        for ((field, word), dead) in &stats.dead {
            out.extend_from_slice(&field.field_id().to_le_bytes());
            put_bytes(&mut out, word);
            out.extend_from_slice(&dead.to_le_bytes());
        }
    }
    out
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The stored counts, if the file is there and whole.
fn load(path: &Path) -> Option<Segments> {
    let bytes = std::fs::read(path).ok()?;
    decode(&bytes)
}

fn decode(bytes: &[u8]) -> Option<Segments> {
    let mut input = Input(bytes);
    if input.take(MAGIC.len())? != MAGIC {
        return None;
    }
    let mut segments = Segments::new();
    for _ in 0..input.u64()? {
        let key = std::str::from_utf8(input.bytes()?).ok()?.to_string();
        let mut stats = IndexStats::default();
        for _ in 0..input.u64()? {
            let field = Field::from_field_id(input.u32()?);
            let holders = input.u64()?;
            let tokens = input.u64()?;
            stats.fields.insert(field, FieldStats { holders, tokens });
        }
        let words = input.u64()?;
        // Never trust a count to size an allocation: each entry takes at least 20 bytes.
        stats
            .dead
            .reserve(usize::try_from(words).ok()?.min(input.0.len() / 20));
        for _ in 0..words {
            let field = Field::from_field_id(input.u32()?);
            let word = input.bytes()?.to_vec();
            let dead = input.u64()?;
            stats.dead.insert((field, word), dead);
        }
        segments.insert(key, stats);
    }
    input.0.is_empty().then_some(segments)
}

/// A cursor over the file's bytes; every read fails on a short file.
struct Input<'a>(&'a [u8]);

impl<'a> Input<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        if self.0.len() < len {
            return None;
        }
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.u64()?).ok()?;
        self.take(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(tokens: u64) -> IndexStats {
        let mut stats = IndexStats::default();
        stats.fields.insert(
            Field::from_field_id(3),
            FieldStats {
                holders: 12,
                tokens,
            },
        );
        stats
            .dead
            .insert((Field::from_field_id(5), b"retry".to_vec()), 2);
        stats
    }

    fn segments() -> Segments {
        Segments::from([
            ("segment-a:10:1".to_string(), sample(3_456)),
            ("segment-b:4:0".to_string(), sample(7)),
        ])
    }

    #[test]
    fn counts_read_back_as_they_were_stored() {
        assert_eq!(decode(&encode(&segments())), Some(segments()));
    }

    #[test]
    fn segments_add_up() {
        let stats = total(&segments());
        assert_eq!(
            stats.fields[&Field::from_field_id(3)],
            FieldStats {
                holders: 24,
                tokens: 3_463
            }
        );
        assert_eq!(stats.dead[&(Field::from_field_id(5), b"retry".to_vec())], 4);
    }

    /// Two segments; one loses a document. Counts planted for both (true counts plus a
    /// marker) are read for the untouched one only: the other is counted again.
    #[test]
    fn only_a_segment_that_changed_is_counted_again() -> tantivy::Result<()> {
        use tantivy::{Index, IndexWriter, TantivyDocument, Term};

        let schema = SearchSchema::new();
        let index = Index::create_in_ram(schema.schema.clone());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 50_000_000)?;
        for batch in [
            [(1, "retry storm after a deploy"), (3, "stale cache entry")],
            [
                (2, "connection pool exhausted"),
                (4, "thundering herd on expiry"),
            ],
        ] {
            for (key, text) in batch {
                let mut doc = TantivyDocument::default();
                doc.add_u64(schema.key, key);
                doc.add_text(schema.body, text);
                doc.add_text(schema.all, text);
                writer.add_document(doc)?;
            }
            writer.commit()?;
        }
        let reader = index.reader()?;
        let mut known = gather(&reader.searcher(), &schema, Segments::new())?;
        assert_eq!(known.len(), 2);
        for stats in known.values_mut() {
            stats.fields.entry(schema.body).or_default().tokens += 1_000;
        }
        writer.delete_term(Term::from_field_u64(schema.key, 1));
        writer.commit()?;
        reader.reload()?;
        let searcher = reader.searcher();
        let again = gather(&searcher, &schema, known)?;
        let fresh = gather(&searcher, &schema, Segments::new())?;
        let body = |stats: &IndexStats| stats.fields[&schema.body].tokens;
        let mut read = 0;
        for (key, stats) in &again {
            if body(stats) == body(&fresh[key]) + 1_000 {
                read += 1;
            } else {
                assert_eq!(stats, &fresh[key], "{key}");
            }
        }
        assert_eq!((again.len(), read), (2, 1));
        assert_eq!(total(&fresh).fields[&schema.body].tokens, 10);
        Ok(())
    }

    #[test]
    fn a_cut_or_padded_file_is_not_read() {
        let bytes = encode(&segments());
        for len in 0..bytes.len() {
            assert_eq!(decode(&bytes[..len]), None, "cut at {len}");
        }
        let mut padded = bytes.clone();
        padded.push(0);
        assert_eq!(decode(&padded), None);
    }
}
