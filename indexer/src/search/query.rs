//! The query language: plain words (OR, BM25 over weighted fields, with stemming), `"quoted
//! phrases"` (required), `-word` (excludes problems that contain it), prefix matching on the
//! last word (search-as-you-type), typo tolerance on the words as written, and synonyms from
//! `catalog.toml`; and its translation into Tantivy queries weighed by [`Ranking`]. Nothing
//! here fails: what does not parse is read as plain words.

use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::ranking::Ranking;
use super::schema::SearchSchema;
use super::words::{DeadWords, Words};

/// Longest query read, in characters; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most words turned into clauses.
const MAX_TERMS: usize = 32;
/// Weight of a required phrase relative to a word.
const PHRASE_BOOST: f32 = 1.5;
/// Weight of a section's heading relative to its text, when choosing a problem's sections.
const HEADING_BOOST: f32 = 1.5;

/// Words that match nearly every unit and add nothing to ranking, and pronouns, which say
/// nothing of which problem it is (`ours` in keepalived's `priority 90, ours 100` found a
/// symptom written with `our`); dropped from plain words (never from phrases) unless the query
/// has nothing else. `i` stays: it is half of `I/O`.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in",
    "into", "is", "it", "its", "of", "on", "or", "so", "than", "that", "the", "their", "then",
    "there", "these", "they", "this", "to", "was", "were", "when", "which", "while", "with", "me",
    "my", "we", "us", "our", "ours", "you", "your", "he", "she", "him", "her", "them",
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
    /// Whether the query reads as text a program printed (an identifier, a code, a key=value)
    /// rather than words a person chose.
    pub machine: bool,
}

/// Text as plain characters (Unicode NFKC): the `ﬁ` ligature a PDF leaves in `conﬁguration`
/// is `fi`, full-width `ＯＯＭ` is `OOM`, as the articles spell them. Text that is already so
/// (all ASCII, or what a quick check finds normal) is returned as it is, without a copy.
pub fn fold_compatibility(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
    if text.is_ascii() || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfkc().collect())
    }
}

/// Splits a query into words, phrases and exclusions. Unbalanced quotes, operators and
/// control characters are read as plain text.
pub fn parse_query(input: &str) -> QueryPlan {
    let input: String = input.chars().take(MAX_QUERY_CHARS).collect();
    let input: String = fold_compatibility(&input)
        .chars()
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
    plan.machine = reads_as_machine_text(&input);
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

/// Whether some word of the input is one only a program writes: an identifier in snake case
/// (`ER_LOCK_DEADLOCK`, `max_connections`), camel case (`OutOfMemoryError`) or dotted
/// (`java.lang`), letters and digits in one long word (`shardId-000000000000`), `key=value`,
/// `::`, brackets and braces. People rarely write these in a sentence.
fn reads_as_machine_text(input: &str) -> bool {
    input.split_whitespace().any(|token| {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        let chars: Vec<char> = word.chars().collect();
        // `max_connections`, `java.lang`: letters on both sides (`e.g.` and `1.5` are prose).
        let joins = |mark: char| {
            chars.windows(5).any(|w| {
                w[2] == mark
                    && w[..2].iter().all(|c| c.is_alphabetic())
                    && w[3..].iter().all(|c| c.is_alphabetic())
            })
        };
        // Two humps or more: `OutOfMemoryError`, not the product names people write
        // (`MySQL`, `JavaScript`).
        let humps = chars
            .windows(2)
            .filter(|w| w[0].is_lowercase() && w[1].is_uppercase())
            .count();
        // `p99`, `5xx`, `k8s` and `http2` are people's words too.
        let mixed = chars.len() >= 6
            && chars.iter().any(char::is_ascii_digit)
            && chars.iter().any(|c| c.is_alphabetic());
        joins('_')
            || joins('.')
            || humps >= 2
            || mixed
            || token.contains('=')
            || token.contains("::")
            || token.contains('[')
            || token.contains('{')
    })
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

/// Everything needed to turn a plan into Tantivy queries.
pub struct QueryBuilder<'a> {
    /// The schema.
    pub schema: &'a SearchSchema,
    /// The analyzer of the ranked fields.
    pub analyzer: TextAnalyzer,
    /// Synonym groups, lower-cased.
    pub synonyms: &'a [Vec<String>],
    /// The index searched, to tell the words it holds from typos.
    pub searcher: &'a Searcher,
    /// Per field and word, the deleted documents still holding it (not words of the site).
    pub dead: &'a DeadWords,
    /// The weights.
    pub ranking: &'a Ranking,
}

/// A word of the query as searched: the stems that stand for it, each with its weight.
#[derive(Debug, Clone)]
pub struct Alternatives {
    /// Stems and their weights (1 for the word typed, less for corrections and completions).
    pub stems: Vec<(String, f32)>,
}

/// The Tantivy queries of a plan.
pub struct BuiltQuery {
    /// Ranks problem documents; `None` when the plan has nothing to match (every problem
    /// matches).
    pub problems: Option<Box<dyn Query>>,
    /// Chooses the sections of a problem on the page; `None` when nothing to match.
    pub sections: Option<Box<dyn Query>>,
    /// Matches the problems to exclude.
    pub excluded: Option<Box<dyn Query>>,
    /// Neighbouring query words, as stems, whose nearness adds to the score of the leading
    /// candidates (it reads positions, the costliest part of a search).
    pub proximity: Vec<[String; 2]>,
    /// The words that count toward coverage, as terms of the `all` field.
    pub coverage: Vec<Vec<Term>>,
    /// Whether the query reads as text a program printed ([`QueryPlan::machine`]).
    pub machine: bool,
}

impl BuiltQuery {
    /// The power a word's rarity is raised to where coverage counts it: `ranking`'s
    /// `coverage_rarity` for people's words, in full (1) for a program's.
    pub fn coverage_rarity(&self, ranking: &super::ranking::Ranking) -> f32 {
        if self.machine {
            1.0
        } else {
            ranking.coverage_rarity
        }
    }
}

fn term_query(field: Field, stem: &str, weight: f32) -> Box<dyn Query> {
    let query = TermQuery::new(
        Term::from_field_text(field, stem),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(query), weight))
}

fn max_of(mut queries: Vec<Box<dyn Query>>, tie: f32) -> Box<dyn Query> {
    if queries.len() == 1
        && let Some(only) = queries.pop()
    {
        return only;
    }
    Box::new(DisjunctionMaxQuery::with_tie_breaker(queries, tie))
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries
            .into_iter()
            .map(|query| (Occur::Should, query))
            .collect(),
    ))
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

    /// A word with what stands for it: itself, the site's words nearest to it when it is a
    /// typo, and the words it begins when it may be unfinished.
    fn alternatives(&mut self, word: &str, typos: bool, unfinished: bool) -> Alternatives {
        let words = Words::new(self.searcher, self.schema.surface, self.dead);
        let mut stems: Vec<(String, f32)> = Vec::new();
        let push = |stems: &mut Vec<(String, f32)>, stem: String, weight: f32| {
            if let Some(known) = stems.iter_mut().find(|(known, _)| *known == stem) {
                known.1 = known.1.max(weight);
            } else {
                stems.push((stem, weight));
            }
        };
        for stem in self.stems(word) {
            push(&mut stems, stem, 1.0);
        }
        if typos && words.is_typo(word) {
            for correction in words.corrections(word) {
                for stem in self.stems(&correction) {
                    push(&mut stems, stem, self.ranking.typo);
                }
            }
        }
        if unfinished && (2..=super::words::TYPO_MAX_CHARS).contains(&word.chars().count()) {
            for completion in words.completions(word) {
                for stem in self.stems(&completion) {
                    push(&mut stems, stem, self.ranking.prefix);
                }
            }
        }
        Alternatives { stems }
    }

    /// A word over the ranked fields: its best alternative, each scoring its best field plus
    /// `field_tie` of the others.
    fn word_query(&self, word: &Alternatives, weight: f32) -> Option<Box<dyn Query>> {
        let fields = self.schema.weighted_fields(self.ranking);
        let alternatives: Vec<Box<dyn Query>> = word
            .stems
            .iter()
            .map(|(stem, alternative)| {
                let per_field = fields
                    .iter()
                    .filter(|(_, field_weight)| *field_weight > 0.0)
                    .map(|(field, field_weight)| {
                        term_query(*field, stem, field_weight * alternative * weight)
                    })
                    .collect();
                max_of(per_field, self.ranking.field_tie)
            })
            .collect();
        (!alternatives.is_empty()).then(|| max_of(alternatives, 0.0))
    }

    /// Stems in sequence over the fields that hold prose, within `slop` positions.
    fn phrase_query(&self, stems: &[String], slop: u32, weight: f32) -> Option<Box<dyn Query>> {
        if stems.len() < 2 {
            return None;
        }
        let s = self.schema;
        let per_field: Vec<Box<dyn Query>> = self
            .schema
            .weighted_fields(self.ranking)
            .into_iter()
            .filter(|(field, field_weight)| *field != s.tags && *field_weight > 0.0)
            .map(|(field, field_weight)| {
                let terms = stems
                    .iter()
                    .map(|stem| Term::from_field_text(field, stem))
                    .collect();
                let mut phrase = PhraseQuery::new(terms);
                phrase.set_slop(slop);
                Box::new(BoostQuery::new(Box::new(phrase), field_weight * weight)) as Box<dyn Query>
            })
            .collect();
        (!per_field.is_empty()).then(|| max_of(per_field, self.ranking.field_tie))
    }

    /// A word or phrase of the section query: its heading and its text.
    fn section_terms(&self, stems: &[(String, f32)]) -> Vec<Box<dyn Query>> {
        let s = self.schema;
        stems
            .iter()
            .flat_map(|(stem, weight)| {
                [
                    term_query(s.heading, stem, HEADING_BOOST * weight),
                    term_query(s.text, stem, *weight),
                ]
            })
            .collect()
    }

    /// Builds the queries of a plan.
    pub fn build(&mut self, plan: &QueryPlan) -> BuiltQuery {
        let meaningful: Vec<&String> = plan
            .words
            .iter()
            .filter(|word| !STOP_WORDS.contains(&word.as_str()))
            .collect();
        let chosen: Vec<&String> = if meaningful.is_empty() {
            plan.words.iter().take(MAX_TERMS).collect()
        } else {
            meaningful.into_iter().take(MAX_TERMS).collect()
        };
        let typos = chosen.len() <= MAX_TERMS / 2;
        let last = plan.words.last();
        // Each word with its weight: a word said again weighs `repeat` (and is left out at 0).
        let mut words: Vec<Alternatives> = Vec::new();
        let mut weights: Vec<f32> = Vec::new();
        for word in &chosen {
            let unfinished = plan.last_is_prefix && Some(*word) == last;
            let alternatives = self.alternatives(word, typos, unfinished);
            let weight = if words.iter().any(|known| known.stems == alternatives.stems) {
                self.ranking.repeat
            } else {
                1.0
            };
            if weight > 0.0 {
                words.push(alternatives);
                weights.push(weight);
            }
        }
        let mut should: Vec<Box<dyn Query>> = Vec::new();
        let mut sections: Vec<Box<dyn Query>> = Vec::new();
        let mut coverage: Vec<Vec<Term>> = Vec::new();
        for (word, &weight) in words.iter().zip(&weights) {
            should.extend(self.word_query(word, weight));
            sections.extend(self.section_terms(&word.stems));
            coverage.push(
                word.stems
                    .iter()
                    .map(|(stem, _)| Term::from_field_text(self.schema.all, stem))
                    .collect(),
            );
        }
        // Neighbouring words near each other: the words as typed, typos and all.
        let mut proximity: Vec<[String; 2]> = Vec::new();
        if self.ranking.proximity > 0.0 {
            for pair in words.windows(2) {
                if let (Some((first, _)), Some((second, _))) =
                    (pair[0].stems.first(), pair[1].stems.first())
                {
                    proximity.push([first.clone(), second.clone()]);
                }
            }
        }
        let mut must: Vec<Box<dyn Query>> = Vec::new();
        for phrase in &plan.phrases {
            let stems: Vec<String> = phrase.iter().flat_map(|word| self.stems(word)).collect();
            match stems.len() {
                0 => {}
                1 => {
                    let word = Alternatives {
                        stems: vec![(stems[0].clone(), 1.0)],
                    };
                    must.extend(self.word_query(&word, PHRASE_BOOST));
                    sections.extend(self.section_terms(&word.stems));
                    coverage.push(vec![Term::from_field_text(self.schema.all, &stems[0])]);
                }
                _ => {
                    must.extend(self.phrase_query(&stems, 0, PHRASE_BOOST));
                    let weighted: Vec<(String, f32)> =
                        stems.iter().map(|stem| (stem.clone(), 1.0)).collect();
                    sections.extend(self.section_terms(&weighted));
                    coverage.extend(
                        stems
                            .iter()
                            .map(|stem| vec![Term::from_field_text(self.schema.all, stem)]),
                    );
                }
            }
        }
        for synonym in self.synonyms_of(plan) {
            let stems: Vec<String> = synonym.iter().flat_map(|word| self.stems(word)).collect();
            let weighted: Vec<(String, f32)> = stems
                .iter()
                .map(|stem| (stem.clone(), self.ranking.synonym))
                .collect();
            if stems.len() == 1 {
                let word = Alternatives {
                    stems: weighted.clone(),
                };
                should.extend(self.word_query(&word, 1.0));
            } else {
                should.extend(self.phrase_query(&stems, 0, self.ranking.synonym));
            }
            sections.extend(self.section_terms(&weighted));
        }
        let excluded_stems: Vec<String> = plan
            .excluded
            .iter()
            .flat_map(|word| self.stems(word))
            .collect();
        let excluded: Vec<Box<dyn Query>> = excluded_stems
            .iter()
            .map(|stem| term_query(self.schema.all, stem, 1.0))
            .collect();
        let problems = if must.is_empty() && should.is_empty() {
            None
        } else {
            let clauses = must
                .into_iter()
                .map(|query| (Occur::Must, query))
                .chain(should.into_iter().map(|query| (Occur::Should, query)))
                .collect();
            Some(Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
        };
        BuiltQuery {
            problems,
            sections: (!sections.is_empty()).then(|| any_of(sections)),
            excluded: (!excluded.is_empty()).then(|| any_of(excluded)),
            proximity,
            coverage,
            machine: plan.machine,
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
    fn a_program_s_words_are_told_from_a_person_s() {
        for printed in [
            "ERROR 1213: ER_LOCK_DEADLOCK",
            "java.lang.OutOfMemoryError: Java heap space",
            "HikariPool-1 - Connection is not available",
            "ProvisionedThroughputExceededException",
            "level=error msg=timeout",
            "at 0x1f in frame [3]",
        ] {
            assert!(parse_query(printed).machine, "{printed}");
        }
        for said in [
            "the checkout page is slow since the sale started",
            "db cpu at 100%, api p99 8 s, OOM kills every night",
            "read/write errors? no. 3 of 4 nodes are up.",
            "our MySQL replica lags, e.g. 1.5 s behind, since the JavaScript bundle grew",
            "Can't connect to the database after the deploy",
        ] {
            assert!(!parse_query(said).machine, "{said}");
        }
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
    fn compatibility_characters_read_as_plain_ones() {
        let plan = parse_query("conﬁguration ＯＯＭ killed");
        assert_eq!(plan.words, ["configuration", "oom", "killed"]);
        assert_eq!(fold_compatibility("plain ascii"), "plain ascii");
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
