//! Snippet generators for the fields a page of hits quotes.
//!
//! They highlight what `SnippetGenerator::create` would (the query's terms in the field, rarer
//! terms first), but share one analyzer whose stem cache lives for the page: a snippet
//! tokenizes its unit's whole text, and stemming each word was most of a page's time.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Score, Searcher, Term};

use super::schema::SearchSchema;
use super::stem_cache::shared_cached_en_stem;

/// Tantivy's default longest snippet, in characters.
const DEFAULT_CHARS: usize = 150;

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
        let analyzer = shared_cached_en_stem();
        Ok(Snippets {
            body: generator(searcher, query, schema.body, &analyzer, body_chars)?,
            symptoms: generator(searcher, query, schema.symptoms, &analyzer, DEFAULT_CHARS)?,
            summary: generator(searcher, query, schema.summary, &analyzer, DEFAULT_CHARS)?,
        })
    }
}

/// As `SnippetGenerator::create`, with `analyzer`.
fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    analyzer: &TextAnalyzer,
    max_chars: usize,
) -> tantivy::Result<SnippetGenerator> {
    let mut terms: BTreeSet<&Term> = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term);
        }
    });
    let mut weights: BTreeMap<String, Score> = BTreeMap::new();
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
    Ok(SnippetGenerator::new(
        weights,
        analyzer.clone(),
        field,
        max_chars,
    ))
}
