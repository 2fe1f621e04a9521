//! The `en_stem` analyzer for writing the index, with the stems of the words it has already
//! seen kept in memory.
//!
//! Profiled on 10,000 generated articles (`perf record -g catalog index`), the English Snowball
//! stemmer was about a quarter of the whole index run: Tantivy's `Stemmer` stems every token
//! of every field again, and prose repeats the same few thousand words. Each indexing thread
//! holds one analyzer per field, so each keeps its own memo; the memo is dropped when it grows
//! past [`MAX_WORDS`], so that a corpus of unusual words cannot grow it without bound.
//!
//! A stem is the stemmer's own answer, stored: the terms are exactly those of Tantivy's
//! `en_stem` (a test compares the two on the bundled catalog), so the query side keeps
//! Tantivy's analyzer.

use rustc_hash::FxHashMap;
use tantivy::Index;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

use super::schema::TOKENIZER;
use super::snippets::LONGEST_TOKEN;

/// How many distinct words one analyzer remembers before it starts afresh.
const MAX_WORDS: usize = 100_000;

/// Registers the remembering `en_stem` on `index`, for the writers opened after.
pub(crate) fn register(index: &Index) {
    index.tokenizers().register(TOKENIZER, analyzer());
}

/// Tantivy's `en_stem` (simple tokenizer, long words dropped, lower case, English stems), with
/// stems remembered.
pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(RememberedStems)
        .build()
}

/// English stemming that remembers each word's stem.
#[derive(Clone, Copy, Debug, Default)]
struct RememberedStems;

impl TokenFilter for RememberedStems {
    type Tokenizer<T: Tokenizer> = RememberedStemsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RememberedStemsFilter<T> {
        RememberedStemsFilter {
            inner: tokenizer,
            stems: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
struct RememberedStemsFilter<T> {
    inner: T,
    /// Word (lower-cased) to stem.
    stems: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for RememberedStemsFilter<T> {
    type TokenStream<'a> = RememberedStemsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.stems.len() > MAX_WORDS {
            self.stems.clear();
        }
        RememberedStemsStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

struct RememberedStemsStream<'a, T> {
    tail: T,
    stems: &'a mut FxHashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for RememberedStemsStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.stems.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = self.stemmer.stem(&token.text).into_owned();
        let word = std::mem::replace(&mut token.text, stem.clone());
        self.stems.insert(word, stem);
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
    use std::path::Path;

    use tantivy::tokenizer::TokenizerManager;

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
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

    /// Every bundled article's text, through one analyzer of each kind (so that the remembering
    /// one answers most words from memory): the same terms at the same positions and offsets.
    #[test]
    fn remembered_stems_are_tantivy_s_en_stem() {
        let mut tantivy = TokenizerManager::default()
            .get(TOKENIZER)
            .expect("Tantivy registers en_stem");
        let mut remembering = analyzer();
        let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog");
        let mut files = 0;
        let mut words = 0;
        for entry in walkdir(&catalog) {
            let text = std::fs::read_to_string(&entry).expect("a bundled article reads");
            for _ in 0..2 {
                let expected = tokens(&mut tantivy, &text);
                words += expected.len();
                assert_eq!(
                    tokens(&mut remembering, &text),
                    expected,
                    "{}",
                    entry.display()
                );
            }
            files += 1;
        }
        assert!(
            files > 40 && words > 100_000,
            "{files} files, {words} words"
        );
    }

    #[test]
    fn a_full_memory_starts_afresh_and_stems_alike() {
        let mut tantivy = TokenizerManager::default()
            .get(TOKENIZER)
            .expect("Tantivy registers en_stem");
        let mut remembering = analyzer();
        let many: String = (0..MAX_WORDS + 10)
            .map(|n| format!("retrying{n}x "))
            .collect();
        assert_eq!(tokens(&mut remembering, &many), tokens(&mut tantivy, &many));
        let text = "Connections were retried; the retries kept failing";
        assert_eq!(tokens(&mut remembering, text), tokens(&mut tantivy, text));
    }

    fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("the catalog folder reads") {
                let path = entry.expect("a folder entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|ext| ext == "md") {
                    out.push(path);
                }
            }
        }
        out.sort();
        out
    }
}
