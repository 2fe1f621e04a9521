//! The `en_stem` analyzer with a cache of stems, for writing the index.
//!
//! Stemming every word of every unit was the largest part of the indexing thread's time at
//! 10,000 articles, and a catalog repeats few distinct words many times. The cache gives the
//! same tokens as Tantivy's own `en_stem` (which the read side keeps using); only where the
//! stem comes from changes.

use std::collections::HashMap;

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// Distinct words remembered per indexing thread; beyond that, words are stemmed each time.
const MAX_CACHED: usize = 200_000;

/// Tantivy's `en_stem` (simple tokenizer, long words removed, lower-cased, English stemmer),
/// stemming each distinct word once.
pub fn cached_en_stem() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(CachedStemmer)
        .build()
}

/// A token filter that stems like [`Stemmer`] for English, from a cache.
#[derive(Clone)]
struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            stems: HashMap::new(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

#[derive(Clone)]
struct CachedStemmerFilter<T> {
    inner: T,
    /// Word → stem.
    stems: HashMap<String, String>,
    /// Stems one whole word.
    stemmer: TextAnalyzer,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
            stemmer: &mut self.stemmer,
        }
    }
}

struct CachedStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut HashMap<String, String>,
    stemmer: &'a mut TextAnalyzer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(&token.text) {
            token.text.clone_from(stem);
            return true;
        }
        let mut stream = self.stemmer.token_stream(&token.text);
        let stem = if stream.advance() {
            stream.token().text.clone()
        } else {
            token.text.clone()
        };
        drop(stream);
        if self.stems.len() < MAX_CACHED {
            self.stems.insert(token.text.clone(), stem.clone());
        }
        token.text = stem;
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
    fn gives_the_tokens_of_tantivys_en_stem() {
        let text = "Retries RETRYING retried: the connections' pools were exhausted, \
                    exhausting ünïcödé caches; cache caching Caches and a \
                    verylongwordthatgoesonandonforeverandeverpastforty words";
        let reference = tantivy::tokenizer::TokenizerManager::default()
            .get("en_stem")
            .expect("en_stem");
        let mut cached = cached_en_stem();
        // Twice: the second pass reads every stem from the cache.
        for _ in 0..2 {
            assert_eq!(
                tokens(cached.clone(), text),
                tokens(reference.clone(), text)
            );
            let mut stream = cached.token_stream(text);
            while stream.advance() {}
        }
    }
}
