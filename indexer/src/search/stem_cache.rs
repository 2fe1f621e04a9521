//! The `en_stem` analyzer with a cache of stems, for writing the index and for the snippets of
//! one search.
//!
//! Stemming every word of every unit was the largest part of the indexing thread's time at
//! 10,000 articles, and most of the time a page of hits spent on its snippets: a catalog
//! repeats few distinct words many times. The cache gives the same tokens as Tantivy's own
//! `en_stem` (which queries keep using); only where the stem comes from changes.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// Distinct words remembered per indexing thread; beyond that, words are stemmed each time.
const MAX_CACHED: usize = 200_000;

/// Tantivy's `en_stem` (simple tokenizer, long words removed, lower-cased, English stemmer),
/// stemming each distinct word once.
pub fn cached_en_stem() -> TextAnalyzer {
    with_stems(Stems::Own(StemMap::default()))
}

/// The same analyzer, whose clones share one cache: a snippet generator clones its analyzer
/// for every snippet, so each would otherwise start from an empty cache.
pub fn shared_cached_en_stem() -> TextAnalyzer {
    with_stems(Stems::Shared(Arc::default()))
}

fn with_stems(stems: Stems) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(CachedStemmer(stems))
        .build()
}

/// Word → stem.
type StemMap = HashMap<String, String, BuildHasherDefault<WordHasher>>;

/// Where a filter keeps its stems.
#[derive(Clone)]
enum Stems {
    /// Each clone has its own.
    Own(StemMap),
    /// Clones share one.
    Shared(Arc<Mutex<StemMap>>),
}

/// FNV-1a: words are short, and SipHash's protection against crafted keys is not needed for
/// the words of the catalog.
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for byte in bytes {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// A token filter that stems like [`Stemmer`] for English, from a cache.
#[derive(Clone)]
struct CachedStemmer(Stems);

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            stems: self.0,
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

#[derive(Clone)]
struct CachedStemmerFilter<T> {
    inner: T,
    stems: Stems,
    /// Stems one whole word.
    stemmer: TextAnalyzer,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stems: match &mut self.stems {
                Stems::Own(stems) => StemsInUse::Own(stems),
                // Held for the whole text rather than taken per word. A cache in use by
                // another stream, or poisoned, is only slower: stem without it.
                Stems::Shared(stems) => StemsInUse::Locked(stems.try_lock().ok()),
            },
            stemmer: &mut self.stemmer,
        }
    }
}

/// The stems a stream reads and fills.
enum StemsInUse<'a> {
    Own(&'a mut StemMap),
    Locked(Option<MutexGuard<'a, StemMap>>),
}

impl StemsInUse<'_> {
    fn map(&mut self) -> Option<&mut StemMap> {
        match self {
            StemsInUse::Own(stems) => Some(stems),
            StemsInUse::Locked(stems) => stems.as_deref_mut(),
        }
    }
}

struct CachedStemmerStream<'a, T> {
    tail: T,
    stems: StemsInUse<'a>,
    stemmer: &'a mut TextAnalyzer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self
            .stems
            .map()
            .and_then(|stems| stems.get(token.text.as_str()))
        {
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
        if let Some(stems) = self.stems.map()
            && stems.len() < MAX_CACHED
        {
            stems.insert(token.text.clone(), stem.clone());
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
        for mut cached in [cached_en_stem(), shared_cached_en_stem()] {
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
}
