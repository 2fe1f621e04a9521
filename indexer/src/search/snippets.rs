//! Snippet generators for the fields a page of hits quotes.
//!
//! They highlight what `SnippetGenerator::create` would: the query's terms in the field, rarer
//! terms first. A snippet tokenizes its unit's whole text, and lower-casing and stemming every
//! word, then looking it up, was most of a page's time. Their analyzer gives the tokens of
//! `en_stem` (same offsets and positions), but a word's text is the query term it stems to or
//! nothing, decided once per distinct word of the page: the generator only uses a token's text
//! to find it among the query's terms.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Score, Searcher, Term};

use super::schema::SearchSchema;

/// Tantivy's default longest snippet, in characters.
const DEFAULT_CHARS: usize = 150;
/// Distinct words remembered per page; beyond that, words are stemmed each time.
const MAX_WORDS: usize = 100_000;

/// The generators of one page.
pub struct Snippets {
    /// Section text.
    pub body: SnippetGenerator,
    /// Symptoms of the overview unit.
    pub symptoms: SnippetGenerator,
    /// Summary of the overview unit.
    pub summary: SnippetGenerator,
}

impl Snippets {
    /// Generators highlighting the terms of `query`; body snippets hold up to `body_chars`
    /// characters.
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        schema: &SearchSchema,
        body_chars: usize,
    ) -> tantivy::Result<Snippets> {
        let body = weights(searcher, query, schema.body)?;
        let symptoms = weights(searcher, query, schema.symptoms)?;
        let summary = weights(searcher, query, schema.summary)?;
        let terms: BTreeSet<String> = [&body, &symptoms, &summary]
            .into_iter()
            .flat_map(|weights| weights.keys().cloned())
            .collect();
        let analyzer = query_terms_analyzer(terms);
        let generator =
            |weights, field, chars| SnippetGenerator::new(weights, analyzer.clone(), field, chars);
        Ok(Snippets {
            body: generator(body, schema.body, body_chars),
            symptoms: generator(symptoms, schema.symptoms, DEFAULT_CHARS),
            summary: generator(summary, schema.summary, DEFAULT_CHARS),
        })
    }
}

/// The terms of `query` in `field` that the index holds, weighted as
/// `SnippetGenerator::create` weighs them (rarer is better).
fn weights(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
) -> tantivy::Result<BTreeMap<String, Score>> {
    let mut terms: BTreeSet<&Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term);
        }
    });
    let mut weights = BTreeMap::new();
    for term in terms {
        let value = term.value();
        let Some(text) = value.as_str() else {
            continue;
        };
        let doc_freq = searcher.doc_freq(term)?;
        if doc_freq > 0 {
            weights.insert(text.to_string(), 1.0 / (1.0 + doc_freq as Score));
        }
    }
    Ok(weights)
}

/// `en_stem`'s tokens, each the query term of `terms` its word stems to, or empty.
fn query_terms_analyzer(terms: BTreeSet<String>) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(QueryTerms {
            terms: Arc::new(terms),
            words: Arc::default(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::English))
                .build(),
        })
        .build()
}

/// Word as written → the query term it stems to, if any.
type Words = HashMap<String, Option<String>>;

/// A token filter that lower-cases and stems a word as `en_stem` does, keeps it when it is a
/// query term and empties it otherwise. Its clones share what they learnt of each word.
#[derive(Clone)]
struct QueryTerms {
    terms: Arc<BTreeSet<String>>,
    words: Arc<Mutex<Words>>,
    /// Lower-cases and stems one whole word.
    stemmer: TextAnalyzer,
}

impl TokenFilter for QueryTerms {
    type Tokenizer<T: Tokenizer> = QueryTermsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> QueryTermsFilter<T> {
        QueryTermsFilter {
            inner: tokenizer,
            terms: self,
        }
    }
}

#[derive(Clone)]
struct QueryTermsFilter<T> {
    inner: T,
    terms: QueryTerms,
}

impl<T: Tokenizer> Tokenizer for QueryTermsFilter<T> {
    type TokenStream<'a> = QueryTermsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        QueryTermsStream {
            tail: self.inner.token_stream(text),
            terms: &self.terms.terms,
            // Held for the whole text rather than taken per word. Words in use by another
            // stream, or poisoned, only make this one slower: it stems without them.
            words: self.terms.words.try_lock().ok(),
            stemmer: &mut self.terms.stemmer,
        }
    }
}

struct QueryTermsStream<'a, T> {
    tail: T,
    terms: &'a BTreeSet<String>,
    words: Option<MutexGuard<'a, Words>>,
    stemmer: &'a mut TextAnalyzer,
}

impl<T: TokenStream> TokenStream for QueryTermsStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let known = self
            .words
            .as_ref()
            .and_then(|words| words.get(token.text.as_str()));
        let term = match known {
            Some(term) => term.clone(),
            None => {
                let mut stream = self.stemmer.token_stream(&token.text);
                let stem = if stream.advance() {
                    stream.token().text.clone()
                } else {
                    String::new()
                };
                drop(stream);
                let term = self.terms.contains(&stem).then_some(stem);
                if let Some(words) = self.words.as_mut()
                    && words.len() < MAX_WORDS
                {
                    words.insert(token.text.clone(), term.clone());
                }
                term
            }
        };
        match term {
            Some(term) => token.text = term,
            None => token.text.clear(),
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
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::{Index, TantivyDocument};

    use super::*;

    const TEXTS: &[&str] = &[
        "The connection pool was exhausted: connections waited, then Pooling timed out.",
        "Retries RETRYING retried; the retry storm hit the ÜBER-cache (caches, caching).",
        "verylongwordthatgoesonandonforeverandeverpastforty pool pools POOL",
        "",
        "nothing to see here",
    ];

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            out.push((
                token.text.clone(),
                token.position,
                token.offset_from,
                token.offset_to,
            ));
        }
        out
    }

    #[test]
    fn tokens_are_en_stems_that_are_query_terms_or_empty() {
        let terms: BTreeSet<String> = ["pool", "retri", "cach"].map(String::from).into();
        let reference = tantivy::tokenizer::TokenizerManager::default()
            .get("en_stem")
            .expect("en_stem");
        let analyzer = query_terms_analyzer(terms.clone());
        for text in TEXTS {
            // Twice: the second pass reads every word from what the first learnt.
            for _ in 0..2 {
                let expected: Vec<_> = tokens(reference.clone(), text)
                    .into_iter()
                    .map(|(text, position, from, to)| {
                        let text = if terms.contains(&text) {
                            text
                        } else {
                            String::new()
                        };
                        (text, position, from, to)
                    })
                    .collect();
                assert_eq!(tokens(analyzer.clone(), text), expected, "{text}");
            }
        }
    }

    #[test]
    fn snippets_are_those_of_tantivys_generator() {
        let schema = SearchSchema::new();
        let index = Index::create_in_ram(schema.schema.clone());
        let mut writer = index.writer(15_000_000).expect("writer");
        for text in TEXTS {
            let mut doc = TantivyDocument::default();
            doc.add_text(schema.body, text);
            doc.add_text(schema.symptoms, text);
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let query = BooleanQuery::new(
            ["pool", "retri", "cach", "absent"]
                .iter()
                .flat_map(|stem| {
                    [schema.body, schema.symptoms].map(|field| {
                        (
                            Occur::Should,
                            Box::new(TermQuery::new(
                                Term::from_field_text(field, stem),
                                IndexRecordOption::WithFreqs,
                            )) as Box<dyn Query>,
                        )
                    })
                })
                .collect(),
        );
        let snippets = Snippets::new(&searcher, &query, &schema, 40).expect("snippets");
        let mut body = SnippetGenerator::create(&searcher, &query, schema.body).expect("body");
        body.set_max_num_chars(40);
        let symptoms =
            SnippetGenerator::create(&searcher, &query, schema.symptoms).expect("symptoms");
        for text in TEXTS {
            assert_eq!(
                snippets.body.snippet(text).to_html(),
                body.snippet(text).to_html()
            );
            assert_eq!(
                snippets.symptoms.snippet(text).to_html(),
                symptoms.snippet(text).to_html()
            );
        }
    }
}
