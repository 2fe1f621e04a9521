//! Matching normalised log lines against every signature of the catalog.
//!
//! A Drain-style template match: both sides are token sequences from
//! [`normalize_line`](super::normalize::normalize_line), and a signature's placeholders stand
//! for any token. Unlike Drain's fixed-length groups, a log line usually carries a prefix the
//! signature does not (timestamp, level, logger, pod), and pasted lines are sometimes cut, so
//! the signature is aligned with the line as an in-order subsequence (weighted longest common
//! subsequence). Words weigh by how rare they are among signatures, so that `error` or
//! `failed` alone never makes a match. An inverted index from words to signatures keeps the
//! alignment to the few signatures that share a rare word with the line.

use rustc_hash::FxHashMap;

use super::normalize::{Template, Token};

/// A signature matches a line when its similarity reaches this.
pub const MATCH_THRESHOLD: f32 = 0.6;
/// The weight of a placeholder of the signature (it matches any token of the line).
const PLACEHOLDER_WEIGHT: f32 = 0.25;

/// A signature, normalised.
#[derive(Debug, Clone)]
struct Entry {
    /// What the caller knows it as (its position in the caller's list).
    key: usize,
    tokens: Vec<Token>,
    /// Sum of its tokens' weights.
    total: f32,
}

/// Every signature, indexed by its words.
#[derive(Debug, Clone, Default)]
pub struct SignatureIndex {
    entries: Vec<Entry>,
    by_word: FxHashMap<String, Vec<u32>>,
    weights: FxHashMap<String, f32>,
    /// The weight of a word no signature holds.
    unknown: f32,
}

/// A signature matching a line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignatureMatch {
    /// The key the signature was added with.
    pub key: usize,
    /// How well it matches, in (0, 1].
    pub similarity: f32,
}

impl SignatureIndex {
    /// Indexes `signatures`, each a normalised template with the caller's key.
    pub fn new(signatures: impl IntoIterator<Item = (usize, Template)>) -> SignatureIndex {
        let templates: Vec<(usize, Template)> = signatures.into_iter().collect();
        let mut document_frequency: FxHashMap<&str, u32> = FxHashMap::default();
        for (_, template) in &templates {
            let mut seen: Vec<&str> = template.words().collect();
            seen.sort_unstable();
            seen.dedup();
            for word in seen {
                *document_frequency.entry(word).or_default() += 1;
            }
        }
        let count = templates.len().max(1) as f32;
        let weights: FxHashMap<String, f32> = document_frequency
            .iter()
            .map(|(word, df)| (word.to_string(), (1.0 + count / *df as f32).ln()))
            .collect();
        let mut index = SignatureIndex {
            entries: Vec::with_capacity(templates.len()),
            by_word: FxHashMap::default(),
            weights,
            unknown: (1.0 + count).ln(),
        };
        for (key, template) in templates {
            let position = index.entries.len() as u32;
            let mut seen: Vec<&str> = template.words().collect();
            seen.sort_unstable();
            seen.dedup();
            for word in seen {
                index
                    .by_word
                    .entry(word.to_string())
                    .or_default()
                    .push(position);
            }
            let total = template.0.iter().map(|t| index.weight(t)).sum();
            index.entries.push(Entry {
                key,
                tokens: template.0,
                total,
            });
        }
        index
    }

    /// How many signatures it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn weight(&self, token: &Token) -> f32 {
        match token {
            Token::Word(word) => self.weights.get(word).copied().unwrap_or(0.0),
            Token::Var(_) => PLACEHOLDER_WEIGHT,
        }
    }

    /// The signatures matching `line`, best first.
    pub fn matches(&self, line: &Template) -> Vec<SignatureMatch> {
        // Upper bound of each candidate's matched weight: the weights of the words it shares
        // with the line, plus all of its placeholders.
        let mut shared: FxHashMap<u32, f32> = FxHashMap::default();
        let mut words: Vec<&str> = line.words().collect();
        words.sort_unstable();
        words.dedup();
        for word in words {
            let Some(postings) = self.by_word.get(word) else {
                continue;
            };
            let weight = self.weights.get(word).copied().unwrap_or(0.0);
            for &entry in postings {
                *shared.entry(entry).or_default() += weight;
            }
        }
        // The line's words, those no signature holds weighing most.
        let line_words: f32 = line
            .words()
            .map(|word| self.weights.get(word).copied().unwrap_or(self.unknown))
            .sum();
        let mut out = Vec::new();
        for (entry, bound) in shared {
            let entry = &self.entries[entry as usize];
            let placeholders =
                entry.tokens.len() - entry.tokens.iter().filter(|t| t.word().is_some()).count();
            let upper =
                (bound + placeholders as f32 * PLACEHOLDER_WEIGHT) / entry.total.max(f32::EPSILON);
            let line_upper = if line_words > 0.0 {
                bound / line_words
            } else {
                0.0
            };
            if upper < MATCH_THRESHOLD && line_upper < 0.9 {
                continue;
            }
            let (matched, matched_words) = self.aligned(&entry.tokens, &line.0);
            let coverage = matched / entry.total.max(f32::EPSILON);
            // A cut paste: nearly every word of the line belongs to the signature.
            let line_coverage = if line_words > 0.0 {
                matched_words / line_words
            } else {
                0.0
            };
            let distinct_words = entry.tokens.iter().filter(|t| t.word().is_some()).count();
            let similarity = if line_coverage >= 0.9 && matched_words > 0.0 && distinct_words >= 3 {
                coverage.max(0.5 + 0.5 * coverage)
            } else {
                coverage
            };
            if similarity >= MATCH_THRESHOLD {
                out.push(SignatureMatch {
                    key: entry.key,
                    similarity: similarity.min(1.0),
                });
            }
        }
        out.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then(a.key.cmp(&b.key))
        });
        out
    }

    /// The weighted longest common subsequence of a signature and a line: the weight of the
    /// signature's tokens matched in order, and the part of it that is words.
    fn aligned(&self, signature: &[Token], line: &[Token]) -> (f32, f32) {
        let width = line.len() + 1;
        // (total, words) per cell, two rows.
        let mut previous = vec![(0.0f32, 0.0f32); width];
        let mut current = vec![(0.0f32, 0.0f32); width];
        for token in signature {
            let weight = self.weight(token);
            let is_word = token.word().is_some();
            for (j, other) in line.iter().enumerate() {
                let hit = match token {
                    Token::Word(_) => token == other,
                    Token::Var(_) => true,
                };
                let diagonal = if hit {
                    let (total, words) = previous[j];
                    (total + weight, words + if is_word { weight } else { 0.0 })
                } else {
                    (f32::MIN, 0.0)
                };
                let up = previous[j + 1];
                let left = current[j];
                current[j + 1] = [diagonal, up, left]
                    .into_iter()
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .unwrap_or((0.0, 0.0));
            }
            std::mem::swap(&mut previous, &mut current);
        }
        previous[line.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::normalize::normalize_line;

    fn index(signatures: &[&str]) -> SignatureIndex {
        SignatureIndex::new(
            signatures
                .iter()
                .enumerate()
                .map(|(key, text)| (key, normalize_line(text))),
        )
    }

    fn best(index: &SignatureIndex, line: &str) -> Option<usize> {
        index.matches(&normalize_line(line)).first().map(|m| m.key)
    }

    #[test]
    fn a_printed_line_matches_its_signature_through_prefix_and_values() {
        let index = index(&[
            "HikariPool-1 - Connection is not available, request timed out after 30000ms.",
            "FATAL: sorry, too many clients already",
            "ERROR 1213 (40001): Deadlock found when trying to get lock; try restarting transaction",
            "java.lang.OutOfMemoryError: Java heap space",
        ]);
        assert_eq!(
            best(
                &index,
                "2024-06-11 08:14:59.002 ERROR 1 --- [nio-8080-exec-7] com.zaxxer.hikari.pool.HikariPool : HikariPool-1 - Connection is not available, request timed out after 30004ms (total=10, active=10, idle=0, waiting=33)"
            ),
            Some(0)
        );
        assert_eq!(
            best(
                &index,
                "psql: error: connection to server at \"10.0.3.12\", port 5432 failed: FATAL:  sorry, too many clients already"
            ),
            Some(1)
        );
        assert_eq!(
            best(
                &index,
                "Deadlock found when trying to get lock; try restarting transaction"
            ),
            Some(2)
        );
        assert_eq!(
            best(
                &index,
                "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"
            ),
            Some(3)
        );
    }

    #[test]
    fn common_words_alone_do_not_match() {
        let index = index(&[
            "FATAL: sorry, too many clients already",
            "ERROR: deadlock detected",
            "ERROR: could not serialize access due to concurrent update",
        ]);
        assert_eq!(best(&index, "ERROR: something else failed"), None);
        assert_eq!(best(&index, "INFO request served in 12ms"), None);
    }
}
