//! Every term of the weighted fields of one searcher, over all its segments, with the fields
//! that hold it.
//!
//! A word with a typo is looked for in the term dictionaries with a Levenshtein automaton.
//! Walking each field of each segment repeats the walk over the same words (a catalog's
//! segments and fields share most of their vocabulary), and it was a tenth of a search's time
//! on a 10,000-article catalog. The vocabulary is walked once; the few words it accepts are
//! then looked up exactly where they are held. (A prefix is not: a short one begins many
//! words, and looking each up everywhere costs what walking each dictionary does.)

use std::sync::{Arc, OnceLock};

use tantivy::Searcher;
use tantivy::schema::Field;
use tantivy_fst::{Automaton, IntoStreamer, Map, Streamer};

/// Terms an automaton accepts, in order, each with the bits of the fields that hold it.
pub type Accepted = Vec<(Vec<u8>, u64)>;

/// The terms of some fields, each with a bit per field that holds it.
pub struct Vocabulary {
    terms: Map<Vec<u8>>,
    fields: Vec<Field>,
}

impl Vocabulary {
    /// The terms of `fields` (at most 64) in every segment of `searcher`.
    pub fn build(searcher: &Searcher, fields: &[Field]) -> tantivy::Result<Vocabulary> {
        let fields = &fields[..fields.len().min(64)];
        let mut all: Vec<(Vec<u8>, u64)> = Vec::new();
        for reader in searcher.segment_readers() {
            for (bit, field) in fields.iter().enumerate() {
                let inverted = reader.inverted_index(*field)?;
                let mut stream = inverted.terms().stream()?;
                while stream.advance() {
                    all.push((stream.key().to_vec(), 1 << bit));
                }
            }
        }
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut merged: Vec<(Vec<u8>, u64)> = Vec::with_capacity(all.len());
        for (term, bits) in all {
            match merged.last_mut() {
                Some(last) if last.0 == term => last.1 |= bits,
                _ => merged.push((term, bits)),
            }
        }
        let terms = Map::from_iter(merged.iter().map(|(term, bits)| (term.as_slice(), *bits)))
            .map_err(|err| tantivy::TantivyError::InternalError(err.to_string()))?;
        Ok(Vocabulary {
            terms,
            fields: fields.to_vec(),
        })
    }

    /// The terms `automaton` accepts, in order, each with the fields that hold it.
    pub fn matching(&self, automaton: &impl Automaton) -> Accepted {
        let mut out = Vec::new();
        let mut stream = self.terms.search(automaton).into_stream();
        while let Some((term, bits)) = stream.next() {
            out.push((term.to_vec(), bits));
        }
        out
    }

    /// The bit of `field` in what `matching` returns, if the vocabulary covers it.
    pub fn bit(&self, field: Field) -> Option<u64> {
        self.fields
            .iter()
            .position(|known| *known == field)
            .map(|at| 1 << at)
    }
}

/// A vocabulary built on another thread: searches use it once it is there, and walk each
/// dictionary until then.
#[derive(Clone, Default)]
pub struct Background(Arc<OnceLock<Option<Vocabulary>>>);

impl Background {
    /// Starts building the vocabulary of `fields` in `searcher`. Should that fail, searches
    /// keep walking each dictionary.
    pub fn start(searcher: Searcher, fields: Vec<Field>) -> Background {
        let background = Background::default();
        let cell = background.0.clone();
        let spawned = std::thread::Builder::new()
            .name("vocabulary".into())
            .spawn(move || {
                let _ = cell.set(Vocabulary::build(&searcher, &fields).ok());
            });
        if spawned.is_err() {
            let _ = background.0.set(None);
        }
        background
    }

    /// The vocabulary, if it is built.
    pub fn get(&self) -> Option<&Vocabulary> {
        self.0.get().and_then(Option::as_ref)
    }

    /// Waits until the vocabulary is built (or failed to be).
    pub fn wait(&self) -> Option<&Vocabulary> {
        self.0.wait().as_ref()
    }
}
