//! The query language: plain words (OR, BM25 over weighted fields, with stemming), `"quoted
//! phrases"` (required), `-word` (excludes problems that contain it), prefix matching on the
//! last word (search-as-you-type), typo tolerance with length thresholds, and synonyms from
//! `catalog.toml`. Nothing here fails: what does not parse is read as plain words.

use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::clause::{Clause, Group, Leaf, LeafKind};
use super::schema::SearchSchema;

/// Longest query read, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most words turned into clauses.
const MAX_TERMS: usize = 32;
/// Words shorter than this are never fuzzed.
const FUZZY_MIN: usize = 5;
/// Words this long or longer allow two edits.
const FUZZY_TWO_EDITS: usize = 9;
/// Weight of a typo match relative to an exact one.
const FUZZY_BOOST: f32 = 0.3;
/// Weight of a prefix match relative to an exact one.
const PREFIX_BOOST: f32 = 0.5;
/// Weight of a synonym relative to the word typed.
const SYNONYM_BOOST: f32 = 0.8;

/// Words that match nearly every unit and add nothing to ranking; dropped from plain words
/// (never from phrases) unless the query has nothing else.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "so", "than", "that", "the", "their", "then",
    "there", "these", "they", "this", "to", "was", "were", "when", "which", "while", "with",
];

/// A query as the user wrote it, split into its parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryPlan {
    /// Plain words, lower-cased, in order.
    pub words: Vec<String>,
    /// Quoted phrases, each as its words.
    pub phrases: Vec<Vec<String>>,
    /// Words after `-`.
    pub excluded: Vec<String>,
    /// Whether the last plain word may be a prefix (the query does not end with a space).
    pub last_is_prefix: bool,
}

/// Splits a query into words, phrases and exclusions. Unbalanced quotes, operators and
/// control characters are read as plain text.
pub fn parse_query(input: &str) -> QueryPlan {
    let input: String = input
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut plan = QueryPlan {
        last_is_prefix: !input.ends_with(char::is_whitespace),
        ..QueryPlan::default()
    };
    // A pasted log line is text, not query syntax: its quotes (`at "10.0.3.12"`) are not
    // required phrases and its dashes not exclusions. A query that is mostly a quoted phrase,
    // or a short one with an exclusion, keeps the syntax.
    let pasted = is_pasted_text(&input);
    let quotes = if pasted {
        0
    } else {
        input.matches('"').count()
    };
    let mut rest = input.as_str();
    while !rest.is_empty() {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix('"')
            && quotes >= 2
            && let Some(end) = after.find('"')
        {
            let words = split_words(&after[..end]);
            if !words.is_empty() {
                plan.phrases.push(words);
            }
            rest = &after[end + 1..];
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..end];
        rest = &rest[end..];
        if let Some(word) = token.strip_prefix('-')
            && !pasted
            && !word.is_empty()
            && !word.starts_with('-')
        {
            plan.excluded.extend(split_words(word));
            continue;
        }
        // Addresses, hex, ids, paths and versions of a log line match by chance; a plain
        // number (an exit code, a status) is kept.
        if pasted && is_noise(token) {
            continue;
        }
        plan.words.extend(split_words(token));
    }
    if !plan.phrases.is_empty() && input.trim_end().ends_with('"') {
        plan.last_is_prefix = false;
    }
    plan
}

/// Words outside quotes from which a query reads as pasted text rather than query syntax.
const PASTED_WORDS: usize = 6;

/// Whether `input` looks pasted (a log line, an error message): at least [`PASTED_WORDS`]
/// whitespace-separated tokens outside double quotes.
fn is_pasted_text(input: &str) -> bool {
    let mut outside = String::new();
    for (index, part) in input.split('"').enumerate() {
        // Even parts are outside quotes; an unbalanced last quote opens nothing.
        if index % 2 == 0 || input.matches('"').count() < 2 {
            outside.push(' ');
            outside.push_str(part);
        }
    }
    outside.split_whitespace().count() >= PASTED_WORDS
}

/// A token with digits that is not a plain number: `10.0.3.12`, `0x1f`, `a3f9-…`, `v2.1`.
fn is_noise(token: &str) -> bool {
    let token = token.trim_matches(|c: char| !c.is_alphanumeric());
    token.chars().any(|c| c.is_ascii_digit()) && !token.chars().all(|c| c.is_ascii_digit())
}

fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Everything needed to turn a plan into clauses.
pub struct QueryBuilder<'a> {
    /// The schema.
    pub schema: &'a SearchSchema,
    /// The analyzer of the text fields.
    pub analyzer: TextAnalyzer,
    /// Synonym groups, lower-cased.
    pub synonyms: &'a [Vec<String>],
    /// The index searched, to tell the words it holds from typos.
    pub searcher: &'a Searcher,
}

/// The clauses of a plan: what must match, what adds to the score, and what excludes a
/// problem.
pub struct BuiltQuery {
    /// Clauses every matching unit matches (quoted phrases).
    pub required: Vec<Clause>,
    /// Clauses that add to the score (words and synonyms); without required clauses a unit
    /// matches when it matches one of them.
    pub optional: Vec<Clause>,
    /// Clauses whose matching units exclude their problem.
    pub excluded: Vec<Clause>,
}

impl BuiltQuery {
    /// Whether the plan had nothing to match, so that every unit matches.
    pub fn matches_all(&self) -> bool {
        self.required.is_empty() && self.optional.is_empty()
    }

    /// The units that match, and their scores, as one Tantivy query.
    pub fn positive(&self) -> Box<dyn Query> {
        if self.matches_all() {
            return Box::new(AllQuery);
        }
        // Phrases are required; words only add to the score.
        let clauses = self
            .required
            .iter()
            .map(|clause| (Occur::Must, clause.query()))
            .chain(
                self.optional
                    .iter()
                    .map(|clause| (Occur::Should, clause.query())),
            )
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }
}

impl QueryBuilder<'_> {
    fn stems(&mut self, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = self.analyzer.token_stream(word);
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    /// Whether some weighted field holds `stem` exactly.
    fn known(&self, stem: &str) -> bool {
        self.schema.weighted_fields().iter().any(|(field, _)| {
            self.searcher
                .doc_freq(&Term::from_field_text(*field, stem))
                .is_ok_and(|freq| freq > 0)
        })
    }

    /// One leaf per weighted field (`fields` of them, best first).
    fn per_field(
        &self,
        fields: &[(Field, f32)],
        leaf: impl Fn(Field, f32) -> Leaf,
        tie: f32,
    ) -> Group {
        Group {
            leaves: fields
                .iter()
                .map(|(field, weight)| leaf(*field, *weight))
                .collect(),
            tie,
        }
    }

    /// A word over every weighted field, exact (and optionally with typos or as a prefix).
    fn word_clause(&mut self, word: &str, fuzzy: bool, prefix: bool, boost: f32) -> Option<Clause> {
        let fields = self.schema.weighted_fields();
        let stems = self.stems(word);
        let mut groups = Vec::new();
        for stem in &stems {
            groups.push(self.per_field(
                &fields,
                |field, weight| Leaf {
                    kind: LeafKind::Term(Term::from_field_text(field, stem)),
                    weight,
                },
                0.2,
            ));
            let chars = word.chars().count();
            if fuzzy && chars >= FUZZY_MIN && word.chars().all(char::is_alphabetic) {
                let distance = if chars >= FUZZY_TWO_EDITS { 2 } else { 1 };
                // A word the index holds is taken as typed. A fuzzy query walks the term
                // dictionary and reads the postings of every neighbour, per field and per
                // query: most of a search's time when common words match most units. Its
                // bonus for the exact word itself is kept (the same constant per field), so
                // ranking is unchanged; only near-misses of a known word are no longer found.
                let known = self.known(stem);
                groups.push(self.per_field(
                    &fields,
                    |field, weight| {
                        let term = Term::from_field_text(field, stem);
                        Leaf {
                            kind: if known {
                                LeafKind::Present(term)
                            } else {
                                LeafKind::Fuzzy { term, distance }
                            },
                            weight: weight * FUZZY_BOOST,
                        }
                    },
                    0.0,
                ));
            }
        }
        if prefix && word.chars().count() >= 2 {
            groups.push(self.per_field(
                &fields,
                |field, weight| Leaf {
                    kind: LeafKind::Prefix(Term::from_field_text(field, word)),
                    weight: weight * PREFIX_BOOST,
                },
                0.0,
            ));
        }
        (!groups.is_empty()).then_some(Clause { groups, boost })
    }

    /// A phrase over the fields that hold prose.
    fn phrase_clause(&mut self, words: &[String], boost: f32) -> Option<Clause> {
        let stems: Vec<String> = words.iter().flat_map(|word| self.stems(word)).collect();
        match stems.len() {
            0 => None,
            1 => self.word_clause(&stems[0], false, false, boost),
            _ => {
                let prose: Vec<(Field, f32)> = self
                    .schema
                    .weighted_fields()
                    .into_iter()
                    .filter(|(field, _)| *field != self.schema.tags)
                    .collect();
                let group = self.per_field(
                    &prose,
                    |field, weight| Leaf {
                        kind: LeafKind::Phrase(
                            stems
                                .iter()
                                .map(|stem| Term::from_field_text(field, stem))
                                .collect(),
                        ),
                        weight,
                    },
                    0.0,
                );
                Some(Clause {
                    groups: vec![group],
                    boost,
                })
            }
        }
    }

    /// Builds the clauses of a plan.
    pub fn build(&mut self, plan: &QueryPlan) -> BuiltQuery {
        let meaningful: Vec<&String> = plan
            .words
            .iter()
            .filter(|word| !STOP_WORDS.contains(&word.as_str()))
            .collect();
        let words: Vec<&String> = if meaningful.is_empty() {
            plan.words.iter().take(MAX_TERMS).collect()
        } else {
            meaningful.into_iter().take(MAX_TERMS).collect()
        };
        let fuzzy = words.len() <= MAX_TERMS / 2;
        let mut optional = Vec::new();
        for (index, word) in words.iter().enumerate() {
            let last = index + 1 == words.len();
            optional.extend(self.word_clause(word, fuzzy, last && plan.last_is_prefix, 1.0));
        }
        let required = plan
            .phrases
            .iter()
            .filter_map(|phrase| self.phrase_clause(phrase, 1.5))
            .collect();
        for synonym in self.synonyms_of(plan) {
            optional.extend(self.phrase_clause(&synonym, SYNONYM_BOOST));
        }
        let excluded = plan
            .excluded
            .iter()
            .filter_map(|word| self.word_clause(word, false, false, 1.0))
            .collect();
        BuiltQuery {
            required,
            optional,
            excluded,
        }
    }

    /// Members of synonym groups that the query mentions, other than what it says.
    fn synonyms_of(&self, plan: &QueryPlan) -> Vec<Vec<String>> {
        let mut text: Vec<&str> = plan.words.iter().map(String::as_str).collect();
        for phrase in &plan.phrases {
            text.extend(phrase.iter().map(String::as_str));
        }
        let joined = format!(" {} ", text.join(" "));
        let mut out = Vec::new();
        for group in self.synonyms {
            let members: Vec<Vec<String>> =
                group.iter().map(|member| split_words(member)).collect();
            let mentioned = members.iter().any(|words| {
                !words.is_empty() && joined.contains(&format!(" {} ", words.join(" ")))
            });
            if mentioned {
                for words in members {
                    if !words.is_empty() && !joined.contains(&format!(" {} ", words.join(" "))) {
                        out.push(words);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_phrases_and_exclusions() {
        let plan = parse_query("pool \"max connections\" -redis timeo");
        assert_eq!(plan.words, ["pool", "timeo"]);
        assert_eq!(
            plan.phrases,
            [vec!["max".to_string(), "connections".to_string()]]
        );
        assert_eq!(plan.excluded, ["redis"]);
        assert!(plan.last_is_prefix);
    }

    #[test]
    fn a_pasted_log_line_is_words_not_syntax() {
        let plan = parse_query(
            "FATAL: connection to server at \"10.0.3.12\", port 5432 failed: sorry, too many clients already -- retry 0x1f",
        );
        assert!(plan.phrases.is_empty(), "{:?}", plan.phrases);
        assert!(plan.excluded.is_empty(), "{:?}", plan.excluded);
        assert_eq!(
            plan.words,
            [
                "fatal",
                "connection",
                "to",
                "server",
                "at",
                "port",
                "5432",
                "failed",
                "sorry",
                "too",
                "many",
                "clients",
                "already",
                "retry"
            ]
        );
        // A query that is one quoted phrase, or short, keeps its syntax.
        assert_eq!(parse_query("\"too many clients already\"").phrases.len(), 1);
        assert_eq!(
            parse_query("\"too many clients\" postgres -mysql").excluded,
            ["mysql"]
        );
    }

    #[test]
    fn hostile_syntax_reads_as_words() {
        let plan = parse_query("\"unbalanced AND OR NOT title:x (a\u{7}b ");
        assert_eq!(
            plan.words,
            ["unbalanced", "and", "or", "not", "title", "x", "a", "b"]
        );
        assert!(plan.phrases.is_empty());
        assert!(!plan.last_is_prefix);
        assert_eq!(parse_query("-").words, Vec::<String>::new());
        assert_eq!(parse_query("--x").words, ["x"]);
    }
}
