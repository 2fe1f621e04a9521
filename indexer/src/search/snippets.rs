//! Snippets of the units a page of hits quotes.
//!
//! They are what Tantivy's `SnippetGenerator::create` gives for the same query and field: the
//! text is cut into fragments of at most so many characters, a fragment scores the weights of
//! the query's terms it holds (rarer terms weigh more), the best fragment is quoted with those
//! terms in `<b>`. Tantivy's generator lower-cases and stems every word of every text, then
//! looks it up in an ordered map of strings; on a page of ten hits that was about half of a
//! one-word search. Here each distinct word of the page is stemmed and looked up once.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rustc_hash::FxBuildHasher;
use tantivy::query::Query;
use tantivy::schema::{Field, Value};
use tantivy::tokenizer::{Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer};
use tantivy::{Score, Searcher, TantivyDocument, Term};

use super::schema::SearchSchema;

/// Tantivy's default longest snippet, in characters.
const DEFAULT_CHARS: usize = 150;
/// Words as long as this (in bytes) or longer are not indexed (`en_stem`'s `RemoveLongFilter`).
const LONGEST_WORD: usize = 40;
/// Distinct words remembered per page; beyond that, words are stemmed each time.
const MAX_WORDS: usize = 100_000;

/// The fields a page quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoted {
    /// Section text.
    Body,
    /// Symptoms of the overview unit.
    Symptoms,
    /// Summary of the overview unit.
    Summary,
}

/// A snippet: HTML with the query's terms in `<b>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snippet {
    /// The best fragment, escaped; empty when no term of the query is in the text.
    pub html: String,
}

impl Snippet {
    /// Whether no term of the query is in the text.
    pub fn is_empty(&self) -> bool {
        self.html.is_empty()
    }
}

/// What the snippets of one page share: the query's terms and what is known of each word.
#[derive(Clone)]
pub struct Snippets {
    /// Per query term (a stem), its weight in each quoted field, when the field holds it.
    weights: Vec<[Option<Score>; 3]>,
    /// Query terms, sorted, their position indexing `weights`.
    terms: Vec<String>,
    /// Fields, as `Quoted` orders them.
    fields: [Field; 3],
    /// Longest body snippet, in characters.
    body_chars: usize,
    /// Word as written → index of the query term it stems to.
    words: HashMap<Box<str>, Option<u32>, FxBuildHasher>,
    /// Lower-cases and stems one whole word as `en_stem` does.
    stemmer: TextAnalyzer,
}

impl Snippets {
    /// Snippets highlighting the terms of `query`; body snippets hold up to `body_chars`
    /// characters.
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        schema: &SearchSchema,
        body_chars: usize,
    ) -> tantivy::Result<Snippets> {
        let fields = [schema.body, schema.symptoms, schema.summary];
        let per_field = fields
            .iter()
            .map(|field| weights(searcher, query, *field))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let terms: Vec<String> = per_field
            .iter()
            .flat_map(|weights| weights.keys().cloned())
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect();
        let weights = terms
            .iter()
            .map(|term| std::array::from_fn(|at| per_field[at].get(term).copied()))
            .collect();
        Ok(Snippets {
            weights,
            terms,
            fields,
            body_chars,
            words: HashMap::default(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::English))
                .build(),
        })
    }

    /// The snippet of `field` in `doc`: its values joined by spaces, as Tantivy's
    /// `snippet_from_doc` quotes them.
    pub fn of_doc(&mut self, doc: &TantivyDocument, field: Quoted) -> Snippet {
        let wanted = self.fields[field as usize];
        let mut values = doc
            .field_values()
            .filter(|(at, _)| *at == wanted)
            .filter_map(|(_, value)| value.as_str());
        let Some(first) = values.next() else {
            return Snippet::default();
        };
        match values.next() {
            None => self.snippet(first.trim(), field),
            Some(second) => {
                let mut text = format!(" {first} {second}");
                for value in values {
                    text.push(' ');
                    text.push_str(value);
                }
                self.snippet(text.trim(), field)
            }
        }
    }

    /// The snippet of `text` quoted from `field`.
    pub fn snippet(&mut self, text: &str, field: Quoted) -> Snippet {
        let max_chars = match field {
            Quoted::Body => self.body_chars,
            Quoted::Symptoms | Quoted::Summary => DEFAULT_CHARS,
        };
        // As Tantivy's `search_fragments`: a fragment ends before the word that would take it
        // past `max_chars` bytes from its start; a fragment without a term is dropped. Of the
        // best scores, the first fragment wins.
        let mut best: Option<Fragment> = None;
        let mut fragment = Fragment::at(0);
        let mut keep = |fragment: Fragment| {
            if fragment.score > 0.0 && best.as_ref().is_none_or(|best| fragment.score > best.score)
            {
                best = Some(fragment);
            }
        };
        for (from, to) in Words::new(text) {
            if to - from >= LONGEST_WORD {
                continue;
            }
            if to - fragment.start > max_chars {
                keep(std::mem::replace(&mut fragment, Fragment::at(from)));
            }
            fragment.stop = to;
            if let Some(weight) = self.weight(&text[from..to], field) {
                fragment.score += weight;
                fragment.highlighted.push((from, to));
            }
        }
        keep(fragment);
        match best {
            Some(fragment) => Snippet {
                html: fragment.to_html(text),
            },
            None => Snippet::default(),
        }
    }

    /// The weight in `field` of the query term `word` stems to, if any.
    fn weight(&mut self, word: &str, field: Quoted) -> Option<Score> {
        let term = match self.words.get(word) {
            Some(term) => *term,
            None => {
                let term = self.term_of(word);
                if self.words.len() < MAX_WORDS {
                    self.words.insert(word.into(), term);
                }
                term
            }
        };
        self.weights[term? as usize][field as usize]
    }

    /// The query term `word` stems to: lower-cased and stemmed as `en_stem` does, then
    /// lower-cased again as Tantivy's generator compares it.
    fn term_of(&mut self, word: &str) -> Option<u32> {
        let mut stream = self.stemmer.token_stream(word);
        let stem = if stream.advance() {
            stream.token().text.to_lowercase()
        } else {
            return None;
        };
        drop(stream);
        self.terms
            .binary_search(&stem)
            .ok()
            .and_then(|at| u32::try_from(at).ok())
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

/// A run of words that may be quoted.
struct Fragment {
    score: Score,
    start: usize,
    stop: usize,
    /// Byte ranges of the query's terms, in order.
    highlighted: Vec<(usize, usize)>,
}

impl Fragment {
    fn at(start: usize) -> Fragment {
        Fragment {
            score: 0.0,
            start,
            stop: start,
            highlighted: Vec::new(),
        }
    }

    fn to_html(&self, text: &str) -> String {
        let mut html = String::with_capacity(self.stop - self.start + 16);
        let mut at = self.start;
        for (from, to) in &self.highlighted {
            escape_into(&text[at..*from], &mut html);
            html.push_str("<b>");
            escape_into(&text[*from..*to], &mut html);
            html.push_str("</b>");
            at = *to;
        }
        escape_into(&text[at..self.stop], &mut html);
        html
    }
}

/// Escapes the five characters Tantivy's snippets escape (`htmlescape::encode_minimal`).
fn escape_into(text: &str, html: &mut String) {
    let mut at = 0;
    for (index, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'"' => "&quot;",
            b'&' => "&amp;",
            b'\'' => "&#x27;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        html.push_str(&text[at..index]);
        html.push_str(entity);
        at = index + 1;
    }
    html.push_str(&text[at..]);
}

/// Byte ranges of the words of a text as Tantivy's `SimpleTokenizer` cuts them: runs of
/// alphanumeric characters.
struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Words<'a> {
        Words { text, at: 0 }
    }

    /// Whether the character at byte `at` is alphanumeric, and its length in bytes.
    fn alphanumeric_at(&self, at: usize) -> (bool, usize) {
        let byte = self.text.as_bytes()[at];
        if byte.is_ascii() {
            return (byte.is_ascii_alphanumeric(), 1);
        }
        match self.text[at..].chars().next() {
            Some(c) => (c.is_alphanumeric(), c.len_utf8()),
            None => (false, 1),
        }
    }
}

impl Iterator for Words<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let len = self.text.len();
        while self.at < len {
            let (alphanumeric, width) = self.alphanumeric_at(self.at);
            if alphanumeric {
                break;
            }
            self.at += width;
        }
        if self.at >= len {
            return None;
        }
        let from = self.at;
        while self.at < len {
            let (alphanumeric, width) = self.alphanumeric_at(self.at);
            if !alphanumeric {
                break;
            }
            self.at += width;
        }
        Some((from, self.at))
    }
}

#[cfg(test)]
mod tests {
    use tantivy::Index;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::IndexRecordOption;
    use tantivy::snippet::SnippetGenerator;
    use tantivy::tokenizer::{SimpleTokenizer, TokenStream, Tokenizer};

    use super::*;

    const TEXTS: &[&str] = &[
        "The connection pool was exhausted: connections waited, then Pooling timed out.",
        "Retries RETRYING retried; the retry storm hit the ÜBER-cache (caches, caching).",
        "verylongwordthatgoesonandonforeverandeverpastforty pool pools POOL",
        "",
        "   ",
        "nothing to see here",
        "<pool> & \"retry\" 'cache' — naïve façade: ½ pool²; Straße CACHE İstanbul pool",
        "pool pool pool pool pool pool pool pool pool pool pool pool pool pool pool pool pool \
         pool retry retry retry retry retry retry retry retry retry retry retry retry retry \
         retry cache caching cached caches cache pool retry and more words after the end",
        " leading and trailing spaces around a pool ",
    ];

    #[test]
    fn words_are_those_of_the_simple_tokenizer() {
        for text in TEXTS {
            let mut tokenizer = SimpleTokenizer::default();
            let mut stream = tokenizer.token_stream(text);
            let mut expected = Vec::new();
            while stream.advance() {
                expected.push((stream.token().offset_from, stream.token().offset_to));
            }
            assert_eq!(Words::new(text).collect::<Vec<_>>(), expected, "{text}");
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
            doc.add_text(schema.summary, text);
            doc.add_text(schema.summary, "a second value about the pool");
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let query = BooleanQuery::new(
            ["pool", "retri", "cach", "absent", "istanbul"]
                .iter()
                .flat_map(|stem| {
                    [schema.body, schema.symptoms, schema.summary].map(|field| {
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
        for chars in [10, 40, 150] {
            let mut snippets = Snippets::new(&searcher, &query, &schema, chars).expect("snippets");
            let mut body = SnippetGenerator::create(&searcher, &query, schema.body).expect("body");
            body.set_max_num_chars(chars);
            let summary =
                SnippetGenerator::create(&searcher, &query, schema.summary).expect("summary");
            let symptoms =
                SnippetGenerator::create(&searcher, &query, schema.symptoms).expect("symptoms");
            // Twice: the second pass reads every word from what the first learnt.
            for _ in 0..2 {
                for text in TEXTS {
                    let ours = snippets.snippet(text, Quoted::Body);
                    let theirs = body.snippet(text);
                    assert_eq!(ours.html, theirs.to_html(), "{chars}: {text}");
                    assert_eq!(ours.is_empty(), theirs.highlighted().is_empty());
                    assert_eq!(
                        snippets.snippet(text, Quoted::Symptoms).html,
                        symptoms.snippet(text).to_html()
                    );
                }
                for doc in 0..TEXTS.len() {
                    let doc: TantivyDocument = searcher
                        .doc(tantivy::DocAddress::new(0, doc as u32))
                        .expect("doc");
                    assert_eq!(
                        snippets.of_doc(&doc, Quoted::Summary).html,
                        summary.snippet_from_doc(&doc).to_html()
                    );
                    assert_eq!(
                        snippets.of_doc(&doc, Quoted::Body).html,
                        body.snippet_from_doc(&doc).to_html()
                    );
                }
            }
        }
    }
}
