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

use super::normalize::{Placeholder, Template, Token};

/// A signature matches a line when its similarity reaches this.
pub const MATCH_THRESHOLD: f32 = 0.6;
/// The weight of a placeholder of the signature (it matches any token of the line).
const PLACEHOLDER_WEIGHT: f32 = 0.25;

/// A signature, normalised.
#[derive(Debug, Clone)]
struct Entry {
    /// What the caller knows it as (its position in the caller's list).
    key: usize,
    /// Its tokens, compiled for alignment.
    tokens: Vec<SignatureToken>,
    /// How many of its tokens are words.
    word_count: usize,
    /// Sum of its tokens' weights.
    total: f32,
    /// Sum of the weights of its severity words (`ERROR`, `FATAL`), which may be missing.
    levels: f32,
    /// Sum of the weights of its placeholders.
    placeholders: f32,
}

/// A signature token as the alignment reads it: the word's number (words are compared as
/// numbers, not strings), or none for a placeholder, with what finding or skipping it weighs.
#[derive(Debug, Clone, Copy)]
struct SignatureToken {
    word: Option<u32>,
    weight: f32,
    /// What leaving it out costs: nothing for a severity word or an elided part.
    skip_cost: f32,
    /// A severity word (`ERROR`, `DETAIL`), which some clients do not print.
    level: bool,
    /// An elided part (`…`), which absorbs the line's tokens after it.
    elided: bool,
}

/// A line token as the alignment reads it: the number of the signature word it is (or
/// [`NO_WORD`]: a placeholder, or a word no signature holds) and its weight.
#[derive(Debug, Clone, Copy)]
struct LineToken {
    word: u32,
    weight: f32,
}

/// The word number of a line token that no signature word equals.
const NO_WORD: u32 = u32::MAX;

/// Every signature, indexed by its words.
#[derive(Debug, Clone, Default)]
pub struct SignatureIndex {
    entries: Vec<Entry>,
    /// Word number → the signatures holding it, with how many times.
    postings: Vec<Vec<(u32, u16)>>,
    /// Word → its number (the alignment compares numbers) and its weight (rarer among
    /// signatures weighs more), for every word a signature holds.
    words: FxHashMap<String, (u32, f32)>,
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
    /// The share of the line's word weight the signature accounts for, in [0, 1].
    pub line_coverage: f32,
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
        let words: FxHashMap<String, (u32, f32)> = document_frequency
            .iter()
            .enumerate()
            .map(|(number, (word, df))| {
                let weight = (1.0 + count / *df as f32).ln();
                (word.to_string(), (number as u32, weight))
            })
            .collect();
        let mut index = SignatureIndex {
            entries: Vec::with_capacity(templates.len()),
            postings: vec![Vec::new(); document_frequency.len()],
            words,
            unknown: (1.0 + count).ln(),
        };
        for (key, template) in templates {
            let position = index.entries.len() as u32;
            let mut counts: FxHashMap<&str, u16> = FxHashMap::default();
            for word in template.words() {
                *counts.entry(word).or_default() += 1;
            }
            for (word, count) in counts {
                if let Some(&(number, _)) = index.words.get(word) {
                    index.postings[number as usize].push((position, count));
                }
            }
            let total = template.0.iter().map(|t| index.weight(t)).sum();
            let levels = template
                .words()
                .filter(|w| is_level(w))
                .map(|w| index.word_weight(w).unwrap_or(0.0))
                .sum();
            let placeholders = template
                .0
                .iter()
                .filter(|t| t.word().is_none())
                .map(|t| index.weight(t))
                .sum();
            let tokens = template
                .0
                .iter()
                .map(|token| index.compile(token))
                .collect();
            let word_count = template.words().count();
            index.entries.push(Entry {
                key,
                tokens,
                word_count,
                total,
                levels,
                placeholders,
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

    /// A signature word's weight, or none for a word no signature holds.
    fn word_weight(&self, word: &str) -> Option<f32> {
        self.words.get(word).map(|(_, weight)| *weight)
    }

    fn weight(&self, token: &Token) -> f32 {
        match token {
            Token::Word(word) => self.word_weight(word).unwrap_or(0.0),
            Token::Var(_) => PLACEHOLDER_WEIGHT,
        }
    }

    /// A signature token, compiled for alignment.
    fn compile(&self, token: &Token) -> SignatureToken {
        let weight = self.weight(token);
        let level = token.word().is_some_and(is_level);
        let elided = *token == Token::Var(Placeholder::Elided);
        SignatureToken {
            word: token
                .word()
                .and_then(|word| self.words.get(word).map(|(number, _)| *number)),
            weight,
            skip_cost: if level || elided { 0.0 } else { weight },
            level,
            elided,
        }
    }

    /// A line's tokens, compiled for alignment: a word no signature holds weighs most.
    fn compile_line(&self, line: &Template) -> Vec<LineToken> {
        line.0
            .iter()
            .map(|token| match token {
                Token::Word(word) => {
                    let (word, weight) = self
                        .words
                        .get(word)
                        .copied()
                        .unwrap_or((NO_WORD, self.unknown));
                    LineToken { word, weight }
                }
                Token::Var(_) => LineToken {
                    word: NO_WORD,
                    weight: PLACEHOLDER_WEIGHT,
                },
            })
            .collect()
    }

    /// The signatures matching `line`, best first.
    pub fn matches(&self, line: &Template) -> Vec<SignatureMatch> {
        // Upper bound of each candidate's coverage: the weight of the words it shares with
        // the line (as often as it holds them), plus all of its placeholders, over what must
        // be found (severity words may be missing).
        let mut shared: FxHashMap<u32, f32> = FxHashMap::default();
        let mut words: Vec<&str> = line.words().collect();
        words.sort_unstable();
        words.dedup();
        for word in words {
            let Some(&(number, weight)) = self.words.get(word) else {
                continue;
            };
            for &(entry, count) in &self.postings[number as usize] {
                *shared.entry(entry).or_default() += weight * f32::from(count);
            }
        }
        if shared.is_empty() {
            return Vec::new();
        }
        let compiled = self.compile_line(line);
        // The line's words, those no signature holds weighing most.
        let line_words: f32 = line
            .0
            .iter()
            .zip(&compiled)
            .filter(|(token, _)| token.word().is_some())
            .map(|(_, compiled)| compiled.weight)
            .sum();
        let mut out = Vec::new();
        for (entry, bound) in shared {
            let entry = &self.entries[entry as usize];
            let upper =
                (bound + entry.placeholders) / (entry.total - entry.levels).max(f32::EPSILON);
            let line_upper = if line_words > 0.0 {
                bound / line_words
            } else {
                0.0
            };
            if upper < MATCH_THRESHOLD && line_upper < 0.9 {
                continue;
            }
            let alignment = self.aligned(&entry.tokens, &compiled);
            let (coverage, matched_words) = (alignment.coverage(), alignment.matched_words);
            // A cut paste: nearly every word of the line belongs to the signature.
            let line_coverage = if line_words > 0.0 {
                matched_words / line_words
            } else {
                0.0
            };
            let distinct_words = entry.word_count;
            // One word in common is not a cut paste: a line of base64 whose only word is the
            // `a` of `Error 524: A timeout occurred` holds none of that message.
            let similarity =
                if line_coverage >= 0.9 && alignment.matched_word_count >= 2 && distinct_words >= 3
                {
                    coverage.max(0.5 + 0.5 * coverage)
                } else {
                    coverage
                };
            if similarity >= MATCH_THRESHOLD {
                out.push(SignatureMatch {
                    key: entry.key,
                    similarity: similarity.min(1.0),
                    line_coverage: line_coverage.clamp(0.0, 1.0),
                });
            }
        }
        out.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then(b.line_coverage.total_cmp(&a.line_coverage))
                .then(a.key.cmp(&b.key))
        });
        out
    }

    /// Aligns a signature with a line and weighs what it found. The alignment is the one that
    /// keeps the most signature weight while skipping the least of either side in between
    /// (a semi-global alignment: the line's prefix and suffix are free, as is what follows an
    /// elided part of the signature).
    fn aligned(&self, signature: &[SignatureToken], line: &[LineToken]) -> Alignment {
        let (rows, cols) = (signature.len() + 1, line.len() + 1);
        // Score per cell, and how each cell was reached (0 match, 1 signature token skipped,
        // 2 line token skipped), for the way back.
        let mut score = vec![0.0f32; rows * cols];
        let mut step = vec![0u8; rows * cols];
        for (i, token) in signature.iter().enumerate() {
            let row = (i + 1) * cols;
            score[row] = score[i * cols] - token.skip_cost;
            step[row] = 1;
            for (j, other) in line.iter().enumerate() {
                let hit = token.word.is_none_or(|word| word == other.word);
                let matched = if hit {
                    score[i * cols + j] + token.weight
                } else {
                    f32::MIN
                };
                let skipped = score[i * cols + j + 1] - token.skip_cost;
                let inserted = score[row + j] - if token.elided { 0.0 } else { other.weight };
                (score[row + j + 1], step[row + j + 1]) =
                    if matched >= skipped && matched >= inserted {
                        (matched, 0)
                    } else if skipped >= inserted {
                        (skipped, 1)
                    } else {
                        (inserted, 2)
                    };
            }
        }
        // The line's suffix is free: end where the whole signature scores best.
        let last_row = signature.len() * cols;
        let end = (0..cols)
            .max_by(|&a, &b| score[last_row + a].total_cmp(&score[last_row + b]))
            .unwrap_or(line.len());
        // Which signature tokens were matched, and to which line tokens.
        let mut matched = vec![false; signature.len()];
        let mut used = vec![false; line.len()];
        let (mut i, mut j) = (signature.len(), end);
        while i > 0 && j > 0 {
            match step[i * cols + j] {
                0 => {
                    matched[i - 1] = true;
                    used[j - 1] = true;
                    i -= 1;
                    j -= 1;
                }
                1 => i -= 1,
                _ => j -= 1,
            }
        }
        let first = matched.iter().position(|m| *m);
        let last = matched.iter().rposition(|m| *m);
        let mut out = Alignment::default();
        // Line tokens between the first and last matched ones that the signature does not
        // hold: `connection timed out` is not `connection is not available, request timed
        // out`.
        if let (Some(from), Some(to)) =
            (used.iter().position(|u| *u), used.iter().rposition(|u| *u))
        {
            // An elided part of the signature (`…`) absorbs the line's tokens after it.
            let mut absorbing = false;
            let mut at_signature = 0;
            for j in from..=to {
                if used[j] {
                    while !matched[at_signature] {
                        at_signature += 1;
                    }
                    absorbing = signature[at_signature].elided;
                    at_signature += 1;
                    continue;
                }
                if absorbing {
                    continue;
                }
                out.inserted += line[j].weight;
            }
        }
        for (k, token) in signature.iter().enumerate() {
            let is_word = token.word.is_some();
            if matched[k] {
                out.matched += token.weight;
                if is_word {
                    out.matched_words += token.weight;
                    out.matched_word_count += 1;
                }
            } else if token.level {
                // `ERROR:`, `FATAL:`, `DETAIL:`: printed by some clients, not by others.
            } else if first.zip(last).is_some_and(|(f, l)| k > f && k < l) {
                // A word missing inside says the line is another message, however common the
                // word is among signatures: finding `timeout` says little, but `worker (pid:21)
                // exited` is not `WORKER TIMEOUT (pid:4121)`. It weighs as a word no signature
                // holds.
                out.inside += if is_word { self.unknown } else { token.weight };
            } else {
                out.outside += token.weight;
            }
        }
        out
    }
}

/// How a signature lines up with a line: the weight of its tokens found in order, of those
/// that are words, of those missing between the first and last found (a different message)
/// or before and after them (a cut paste, a client's own prefix or suffix), and of the line's
/// own tokens inside the span.
#[derive(Debug, Default, Clone, Copy)]
struct Alignment {
    matched: f32,
    matched_words: f32,
    /// How many of its words were found.
    matched_word_count: usize,
    inside: f32,
    outside: f32,
    /// Line tokens inside the matched span that the signature does not hold.
    inserted: f32,
}

impl Alignment {
    /// The share of the signature found, a word missing inside counting twice and a word
    /// the line inserts inside counting once.
    fn coverage(&self) -> f32 {
        self.matched
            / (self.matched + self.outside + 2.0 * self.inside + self.inserted).max(f32::EPSILON)
    }
}

/// Severity words a client may or may not print before a message.
fn is_level(word: &str) -> bool {
    matches!(
        word,
        "error"
            | "fatal"
            | "warning"
            | "warn"
            | "info"
            | "detail"
            | "hint"
            | "log"
            | "critical"
            | "severe"
            | "panic"
            | "notice"
            | "debug"
    )
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
    fn a_short_signature_does_not_match_words_spread_over_a_line() {
        let index = index(&[
            "Error 522: connection timed out",
            "HikariPool-1 - Connection is not available, request timed out after 30000ms.",
        ]);
        let line = "2024-06-11 08:14:59 WARN  HikariPool-1 - Connection is not available, request timed out after 30001ms.";
        let found = index.matches(&normalize_line(line));
        assert_eq!(found.iter().map(|m| m.key).collect::<Vec<_>>(), vec![1]);
        assert_eq!(best(&index, "cf-error 522: Connection timed out"), Some(0));
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

    #[test]
    fn a_word_missing_inside_a_short_signature_is_a_different_message() {
        // `timeout` is common among signatures, so finding it says little; but a line without
        // it between `worker` and the pid is another message (gunicorn's crash report).
        let index = index(&[
            "[CRITICAL] WORKER TIMEOUT (pid:4121)",
            "Lock wait timeout exceeded; try restarting transaction",
            "canceling statement due to statement timeout",
            "upstream request timeout",
            "Read timeout on endpoint",
            "SocketTimeoutException: connect timeout",
        ]);
        assert_eq!(
            best(
                &index,
                "[2024-05-02 10:00:01 +0000] [7] [ERROR] Worker (pid:21) exited with code 3."
            ),
            None
        );
        assert_eq!(
            best(
                &index,
                "[2024-05-02 10:00:01 +0000] [7] [CRITICAL] WORKER TIMEOUT (pid:77)"
            ),
            Some(0)
        );
    }

    #[test]
    fn one_word_in_common_is_not_a_cut_paste() {
        let index = index(&[
            "Error 524: A timeout occurred",
            "FATAL: sorry, too many clients already",
        ]);
        // A base64 payload whose only word is `a`.
        assert_eq!(
            best(
                &index,
                "4vJ7lAI5t/lr1GE1maNMDEz0doL/a/izFkErPzKblBOKJngbMZ0hbhlUIFfe3f5L+3z3yMjGCz3c"
            ),
            None
        );
        // A paste cut after two of its words still matches.
        assert_eq!(best(&index, "Error 524: A timeout"), Some(0));
    }
}
