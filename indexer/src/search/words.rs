//! The words a site holds, as written (the surface field, lower-cased, unstemmed): whether a
//! query word is one of them, the nearest ones to a typo, and the ones an unfinished word
//! begins. Deciding on the surface word, not its stem, is what finds `replicaton`
//! (`replication`): stemmed, a typo rarely lands near the stem of the word meant.

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Words shorter than this are never read as typos (too many real words are one edit apart).
pub const TYPO_MIN_CHARS: usize = 5;
/// Words this long or longer may hold two edits.
pub const TWO_EDITS_CHARS: usize = 9;
/// Words longer than this are taken as typed: no real word is, and the automaton of a
/// pasted 1,000-letter token would cost more than the search.
pub const TYPO_MAX_CHARS: usize = 32;
/// Most words standing in for one typo.
const TYPO_CANDIDATES: usize = 3;
/// Most words an unfinished word expands to.
const COMPLETIONS: usize = 8;

/// Per field and word, how many deleted documents still hold it. A segment keeps a replaced
/// document's words until it is merged: they are not words of the site.
pub type DeadWords = HashMap<(Field, Vec<u8>), u64>;

/// The surface words of one searcher.
pub struct Words<'a> {
    searcher: &'a Searcher,
    field: Field,
    dead: &'a DeadWords,
}

impl<'a> Words<'a> {
    /// The words of `field` (the surface field) in `searcher`, less those only deleted
    /// documents hold.
    pub fn new(searcher: &'a Searcher, field: Field, dead: &'a DeadWords) -> Words<'a> {
        Words {
            searcher,
            field,
            dead,
        }
    }

    /// How many deleted documents hold `word`.
    fn dead(&self, word: &[u8]) -> u64 {
        if self.dead.is_empty() {
            return 0;
        }
        self.dead
            .get(&(self.field, word.to_vec()))
            .copied()
            .unwrap_or(0)
    }

    /// Number of problems that hold `word` as written.
    pub fn frequency(&self, word: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(self.field, word))
            .unwrap_or(0)
            .saturating_sub(self.dead(word.as_bytes()))
    }

    /// Whether `word` may be a typo: long enough, letters only, and not a word of the site.
    pub fn is_typo(&self, word: &str) -> bool {
        (TYPO_MIN_CHARS..=TYPO_MAX_CHARS).contains(&word.chars().count())
            && word.chars().all(char::is_alphabetic)
            && self.frequency(word) == 0
    }

    /// The site's words nearest to a typo, most frequent first: those one edit away, or when
    /// there are none and the word is long, two (a transposition counts as one edit).
    pub fn corrections(&self, word: &str) -> Vec<String> {
        let mut distances = vec![1u8];
        if word.chars().count() >= TWO_EDITS_CHARS {
            distances.push(2);
        }
        for distance in distances {
            let query =
                FuzzyTermQuery::new(Term::from_field_text(self.field, word), distance, true);
            let found = self.matching(&query);
            if !found.is_empty() {
                return most_frequent(found, TYPO_CANDIDATES);
            }
        }
        Vec::new()
    }

    /// The site's words that begin with `prefix` (other than itself), most frequent first.
    pub fn completions(&self, prefix: &str) -> Vec<String> {
        let query = FuzzyTermQuery::new_prefix(Term::from_field_text(self.field, prefix), 0, true);
        let mut found = self.matching(&query);
        found.remove(prefix);
        most_frequent(found, COMPLETIONS)
    }

    /// Every word the query's automaton accepts, with its number of problems.
    fn matching(&self, query: &FuzzyTermQuery) -> HashMap<String, u64> {
        let mut found: HashMap<String, u64> = HashMap::new();
        let Ok(automaton) = query.automaton() else {
            return found;
        };
        // One automaton walks every segment's dictionary.
        for reader in self.searcher.segment_readers() {
            let Ok(inverted) = reader.inverted_index(self.field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(word) = std::str::from_utf8(stream.key()) {
                    *found.entry(word.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        // A word only deleted documents hold is not one of the site's.
        found.retain(|word, count| {
            *count = count.saturating_sub(self.dead(word.as_bytes()));
            *count > 0
        });
        found
    }
}

/// The `limit` most frequent words, ties by the word.
fn most_frequent(found: HashMap<String, u64>, limit: usize) -> Vec<String> {
    let mut found: Vec<(String, u64)> = found.into_iter().collect();
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    found
        .into_iter()
        .take(limit)
        .map(|(word, _)| word)
        .collect()
}
