//! Snippet generators that stem only the words that can match the query.
//!
//! Tantivy's `SnippetGenerator` runs the field's whole analyzer over the text to cut: every
//! word is lower-cased and stemmed. Measured with Callgrind on 10,000 generated articles
//! (`scripts/search-instructions.sh`), stemming was about a third of the instructions of a
//! search: a page cuts some 40 snippets (three sections and the symptoms per hit), and the
//! Snowball stemmer costs about 2,000 instructions a word.
//!
//! The English Snowball stemmer only rewrites the end of a word: a stem of two letters or
//! more starts with the word's first two letters (the exceptions, `dying`, `lying` and
//! `tying`, have a `y` second), and a one-letter stem is the word's first letter. A word
//! whose start matches no query term's start can therefore not stem to a query term, and is
//! passed on unstemmed: the snippet is the one the full analyzer gives, for less work. A test
//! compares the two on the bundled catalog's text.

use std::collections::BTreeMap;
use std::sync::Arc;

use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};
use tantivy::{Score, Searcher, Term, schema::Field};

/// The longest token the `en_stem` analyzer keeps (Tantivy's default).
pub(super) const LONGEST_TOKEN: usize = 40;

/// A snippet generator for `field` over the terms of `query`, as `SnippetGenerator::create`
/// makes it (each term weighted by its rarity), with an analyzer equal to `en_stem` that
/// stems only the words that may match.
pub(crate) fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    max_num_chars: usize,
) -> tantivy::Result<SnippetGenerator> {
    generator_of(searcher, query, field, field, max_num_chars)
}

/// A snippet generator for the stored `field` over the terms `query` has on `terms_of` (a
/// field ranked under the same analyzer).
pub(crate) fn generator_of(
    searcher: &Searcher,
    query: &dyn Query,
    terms_of: Field,
    field: Field,
    max_num_chars: usize,
) -> tantivy::Result<SnippetGenerator> {
    let mut terms: Vec<Term> = Vec::new();
    query.query_terms(&mut |term, _| {
        if term.field() == terms_of {
            terms.push(term.clone());
        }
    });
    terms.sort();
    terms.dedup();
    let mut weights: BTreeMap<String, Score> = BTreeMap::new();
    for term in &terms {
        let value = term.value();
        let Some(text) = value.as_str() else {
            continue;
        };
        let doc_freq = searcher.doc_freq(term)?;
        if doc_freq > 0 {
            weights.insert(text.to_string(), 1.0 / (1.0 + doc_freq as Score));
        }
    }
    let starts = Starts::of(weights.keys().map(String::as_str));
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(StemMatching { starts })
        .build();
    Ok(SnippetGenerator::new(
        weights,
        analyzer,
        field,
        max_num_chars,
    ))
}

/// The starts of the query's terms: their first two characters, or the one of a one-letter
/// term.
#[derive(Clone, Debug, Default)]
struct Starts(Arc<Vec<(char, Option<char>)>>);

impl Starts {
    fn of<'a>(terms: impl Iterator<Item = &'a str>) -> Starts {
        let mut starts: Vec<(char, Option<char>)> = terms
            .filter_map(|term| {
                let mut chars = term.chars();
                Some((chars.next()?, chars.next()))
            })
            .collect();
        starts.sort_unstable();
        starts.dedup();
        Starts(Arc::new(starts))
    }

    /// Whether `word` (lower-cased) may stem to one of the terms.
    fn may_match(&self, word: &str) -> bool {
        let mut chars = word.chars();
        let (Some(first), second) = (chars.next(), chars.next()) else {
            return false;
        };
        self.0.iter().any(|&(start, next)| {
            start == first && (next.is_none() || second == Some('y') || next == second)
        })
    }
}

/// English stemming for the words that may match, as [`Starts`] says.
#[derive(Clone)]
struct StemMatching {
    starts: Starts,
}

impl TokenFilter for StemMatching {
    type Tokenizer<T: Tokenizer> = StemMatchingFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemMatchingFilter<T> {
        StemMatchingFilter {
            starts: self.starts,
            inner: tokenizer,
        }
    }
}

#[derive(Clone)]
struct StemMatchingFilter<T> {
    starts: Starts,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemMatchingFilter<T> {
    type TokenStream<'a> = StemMatchingStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemMatchingStream {
            tail: self.inner.token_stream(text),
            starts: &self.starts,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

struct StemMatchingStream<'a, T> {
    tail: T,
    starts: &'a Starts,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for StemMatchingStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if self.starts.may_match(&token.text)
            && let std::borrow::Cow::Owned(stem) = super::stems::stem(&self.stemmer, &token.text)
        {
            token.text = stem;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::QueryParser;
    use tantivy::schema::{Schema, TextFieldIndexing, TextOptions};
    use tantivy::{Index, doc};

    /// Every section of the bundled catalog, cut for queries made of its symptoms' words,
    /// gives the snippet Tantivy's own generator gives.
    #[test]
    fn snippets_equal_the_full_analyzers_on_the_bundled_catalog() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog");
        let mut texts = Vec::new();
        for folder in std::fs::read_dir(&root).expect("catalog folder") {
            let folder = folder.expect("entry").path();
            if !folder.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&folder).expect("category folder") {
                let file = file.expect("entry").path();
                if file.extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(&file).expect("article");
                    texts.extend(text.split("\n## ").map(str::to_string));
                }
            }
        }
        assert!(texts.len() > 300, "{} sections", texts.len());
        let queries: Vec<String> = texts
            .iter()
            .flat_map(|text| text.lines().filter(|line| line.starts_with("  - \"")))
            .step_by(14)
            .map(|line| line.trim_start_matches("  - ").replace('"', ""))
            .chain(
                [
                    "dying lying tying",
                    "a",
                    "connection pool",
                    "caches invalidated",
                    "load balancers containers",
                ]
                .map(String::from),
            )
            .collect();
        assert!(queries.len() > 25, "{} queries", queries.len());

        // The field is analysed by the index's `en_stem`, as the index's ranked fields are: the
        // reference snippets come from the analyzer ours must equal.
        let mut schema = Schema::builder();
        let body = schema.add_text_field(
            "body",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(super::super::schema::TOKENIZER),
            ),
        );
        let index = Index::create_in_ram(schema.build());
        super::super::stems::register(&index);
        let mut writer = index.writer(50_000_000).expect("writer");
        for text in &texts {
            writer
                .add_document(doc!(body => text.as_str()))
                .expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let parser = QueryParser::for_index(&index, vec![body]);
        let mut highlighted = 0;
        for q in &queries {
            let (query, _) = parser.parse_query_lenient(q);
            let ours = generator(&searcher, &*query, body, 180).expect("ours");
            let mut theirs = SnippetGenerator::create(&searcher, &*query, body).expect("theirs");
            theirs.set_max_num_chars(180);
            for text in &texts {
                let expected = theirs.snippet(text);
                let got = ours.snippet(text);
                assert_eq!(
                    got.to_html(),
                    expected.to_html(),
                    "query {q:?} on {:?}",
                    text.chars().take(60).collect::<String>()
                );
                highlighted += usize::from(!expected.highlighted().is_empty());
            }
        }
        assert!(
            highlighted > 1_000,
            "only {highlighted} snippets highlight a word"
        );
    }

    #[test]
    fn words_that_may_stem_to_a_term_are_recognised() {
        let starts = Starts::of(["connect", "die", "a"].into_iter());
        assert!(starts.may_match("connections"));
        assert!(starts.may_match("dying"), "dying stems to die");
        assert!(
            starts.may_match("anything"),
            "a one-letter term matches any a-word"
        );
        assert!(!starts.may_match("pool"));
        assert!(!starts.may_match("cache"), "co is not ca");
        assert!(!starts.may_match(""));
    }

    #[test]
    fn stems_keep_the_first_two_letters_of_the_word() {
        // The assumption the filter rests on, over words whose endings the stemmer rewrites.
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        for word in [
            "connections",
            "replication",
            "invalidated",
            "exhaustion",
            "ties",
            "cries",
            "generously",
            "skies",
            "news",
            "happily",
            "agreed",
            "idly",
            "early",
            "yelling",
            "1234s",
        ] {
            let stem = stemmer.stem(word);
            let keep = if stem.chars().count() >= 2 { 2 } else { 1 };
            let start: String = word.chars().take(keep).collect();
            assert!(
                stem.starts_with(&start),
                "{word} stems to {stem}, which does not start with {start}"
            );
        }
    }
}
