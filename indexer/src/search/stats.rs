//! What BM25 needs to know of an index that its segments do not say exactly, counted over live
//! documents. Re-indexing changed files leaves the replaced documents in their segments until
//! Tantivy merges them, and a segment merged from segments with deletions only estimates its
//! token counts: read from the segments, the same catalog would rank slightly differently after
//! a few edits than indexed afresh.
//!
//! Counting walks the postings of every ranked field, so an index run counts once, after its
//! commit, and stores the counts beside the index (`search-stats.bin`) with the segments they
//! were counted on. Opening a generation reads them when the segments still match and counts
//! again otherwise (a generation built by an older version, a missing or damaged file): the
//! file only saves time, it never decides a ranking.

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
const MAGIC: &[u8; 8] = b"CATSTAT1";

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

impl IndexStats {
    /// The stored counts when they were counted on the segments `searcher` reads, else counts
    /// them.
    pub fn open(
        searcher: &Searcher,
        schema: &SearchSchema,
        stored: &Path,
    ) -> tantivy::Result<Self> {
        match load(stored, &fingerprint(searcher)) {
            Some(stats) => Ok(stats),
            None => count(searcher, schema),
        }
    }

    /// Counts over the segments `searcher` reads and stores the counts at `path`, replacing
    /// the file in one rename.
    pub fn count_and_store(searcher: &Searcher, schema: &SearchSchema, path: &Path) -> Result<()> {
        let stats = count(searcher, schema).map_err(|err| Error::store(path, err))?;
        let bytes = encode(&stats, &fingerprint(searcher));
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

/// Names the segments and their deletions: counts are valid for exactly these.
fn fingerprint(searcher: &Searcher) -> String {
    let mut segments: Vec<String> = searcher
        .segment_readers()
        .iter()
        .map(|reader| {
            format!(
                "{}:{}:{}",
                reader.segment_id().uuid_string(),
                reader.max_doc(),
                reader.num_deleted_docs()
            )
        })
        .collect();
    segments.sort();
    segments.join(",")
}

/// Counts what BM25 reads over live documents only: each ranked field's holders and tokens,
/// and how many deleted documents still hold each word.
fn count(searcher: &Searcher, schema: &SearchSchema) -> tantivy::Result<IndexStats> {
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
    for reader in searcher.segment_readers() {
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
        // Every field whose words are weighed: the ranked ones, `all` for coverage and
        // `surface` for typos (these two only for their deleted documents).
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

/// The file: `MAGIC`, the fingerprint, the fields, then the dead words; lengths and counts
/// little-endian.
fn encode(stats: &IndexStats, fingerprint: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + fingerprint.len() + stats.dead.len() * 24);
    out.extend_from_slice(MAGIC);
    put_bytes(&mut out, fingerprint.as_bytes());
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
    out
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The stored counts, if the file is there, whole, and was counted on `fingerprint`.
fn load(path: &Path, fingerprint: &str) -> Option<IndexStats> {
    let bytes = std::fs::read(path).ok()?;
    decode(&bytes, fingerprint)
}

fn decode(bytes: &[u8], fingerprint: &str) -> Option<IndexStats> {
    let mut input = Input(bytes);
    if input.take(MAGIC.len())? != MAGIC || input.bytes()? != fingerprint.as_bytes() {
        return None;
    }
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
    input.0.is_empty().then_some(stats)
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

    fn sample() -> IndexStats {
        let mut stats = IndexStats::default();
        stats.fields.insert(
            Field::from_field_id(3),
            FieldStats {
                holders: 12,
                tokens: 3_456,
            },
        );
        stats
            .dead
            .insert((Field::from_field_id(5), b"retry".to_vec()), 2);
        stats
    }

    #[test]
    fn counts_read_back_as_they_were_stored() {
        let bytes = encode(&sample(), "segment-a:10:1");
        assert_eq!(decode(&bytes, "segment-a:10:1"), Some(sample()));
    }

    #[test]
    fn counts_of_other_segments_are_not_read() {
        let bytes = encode(&sample(), "segment-a:10:1");
        assert_eq!(decode(&bytes, "segment-a:10:2"), None);
    }

    #[test]
    fn a_cut_or_padded_file_is_not_read() {
        let bytes = encode(&sample(), "segment-a:10:1");
        for len in 0..bytes.len() {
            assert_eq!(
                decode(&bytes[..len], "segment-a:10:1"),
                None,
                "cut at {len}"
            );
        }
        let mut padded = bytes.clone();
        padded.push(0);
        assert_eq!(decode(&padded, "segment-a:10:1"), None);
    }
}
