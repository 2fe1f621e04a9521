//! The `en_stem` analyzer for writing the index, with the stems of the words it has already
//! seen kept in memory.
//!
//! Profiled on 10,000 generated articles (`perf record -g catalog index`), the English Snowball
//! stemmer was about a quarter of the whole index run: Tantivy's `Stemmer` stems every token
//! of every field again, and prose repeats the same few thousand words. Each indexing thread
//! holds one analyzer per field, so each keeps its own memo; the memo is dropped when it grows
//! past [`MAX_WORDS`], so that a corpus of unusual words cannot grow it without bound.
//!
//! A stem is the stemmer's own answer, stored, except for the few words in [`OWN_STEMS`]:
//! the English Snowball stemmer gives `balancer` the stem of `balance` and `container` that of
//! `contain`, so a search for a load balancer found account balances. Those words keep a stem
//! of their own. Every other term is exactly Tantivy's `en_stem` (a test compares the two on
//! the bundled catalog). The index, the query side, the snippets and triage all stem through
//! [`stem`], so they agree.

use std::borrow::Cow;

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

/// Words whose Snowball stem is that of a word of another meaning, with the stem each keeps
/// instead (sorted by word). The stem starts with the word's first two letters, as every
/// Snowball stem does, which the snippets rely on.
const OWN_STEMS: &[(&str, &str)] = &[
    // Snowball: `balanc`, as `balance` and `balances`.
    ("balancer", "balancer"),
    ("balancers", "balancer"),
    // Snowball: `consist`, as `consists of`.
    ("consistency", "consistent"),
    ("consistent", "consistent"),
    ("consistently", "consistent"),
    // Snowball: `contain`, as `contains`; `containerized` already stems to `container`.
    ("container", "container"),
    ("containers", "container"),
    // Snowball: `market`, as the market a trade is matched on.
    ("marketing", "marketing"),
];

/// A lower-cased word's stem: its own in [`OWN_STEMS`], else the English Snowball stem.
pub(crate) fn stem<'a>(stemmer: &frostem::Stemmer, word: &'a str) -> Cow<'a, str> {
    match OWN_STEMS.binary_search_by(|(known, _)| (*known).cmp(word)) {
        Ok(at) if OWN_STEMS[at].1 == word => Cow::Borrowed(word),
        Ok(at) => Cow::Owned(OWN_STEMS[at].1.to_owned()),
        Err(_) => stemmer.stem(word),
    }
}

/// Registers the remembering `en_stem` on `index`, for the writers opened after.
pub(crate) fn register(index: &Index) {
    index.tokenizers().register(TOKENIZER, analyzer());
}

/// Registers `en_stem` without a memory on `index`, for searches: a query is analysed once.
pub(crate) fn register_for_search(index: &Index) {
    index
        .tokenizers()
        .register(TOKENIZER, short_text_analyzer());
}

/// Tantivy's `en_stem` (simple tokenizer, long words dropped, lower case, English stems), with
/// [`OWN_STEMS`] and stems remembered.
pub(crate) fn analyzer() -> TextAnalyzer {
    with_stems(RememberedStems { remember: true })
}

/// [`analyzer`] without the memory, for texts analysed once each (a query, a statement, a log
/// line), where remembering would only cost.
pub(crate) fn short_text_analyzer() -> TextAnalyzer {
    with_stems(RememberedStems { remember: false })
}

fn with_stems(stems: RememberedStems) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_TOKEN))
        .filter(LowerCaser)
        .filter(stems)
        .build()
}

/// English stemming, with [`OWN_STEMS`], that may remember each word's stem.
#[derive(Clone, Copy, Debug, Default)]
struct RememberedStems {
    remember: bool,
}

impl TokenFilter for RememberedStems {
    type Tokenizer<T: Tokenizer> = RememberedStemsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RememberedStemsFilter<T> {
        RememberedStemsFilter {
            inner: tokenizer,
            remember: self.remember,
            stems: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
struct RememberedStemsFilter<T> {
    inner: T,
    remember: bool,
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
            remember: self.remember,
            stems: &mut self.stems,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

struct RememberedStemsStream<'a, T> {
    tail: T,
    remember: bool,
    stems: &'a mut FxHashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for RememberedStemsStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if !self.remember {
            if let Cow::Owned(stem) = stem(&self.stemmer, &token.text) {
                token.text = stem;
            }
            return true;
        }
        if let Some(stem) = self.stems.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = stem(&self.stemmer, &token.text).into_owned();
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

    /// Tantivy's terms for `text`, with the words of [`OWN_STEMS`] given their own stems.
    fn expected(tantivy: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = tokens(tantivy, text);
        for (term, _, from, to) in &mut out {
            let word = text[*from..*to].to_lowercase();
            if let Some((_, own)) = OWN_STEMS.iter().find(|(known, _)| *known == word) {
                *term = (*own).to_owned();
            }
        }
        out
    }

    /// Every bundled article's text, through one analyzer of each kind (so that the remembering
    /// one answers most words from memory): the same terms at the same positions and offsets,
    /// but for the words that keep their own stem.
    #[test]
    fn remembered_stems_are_tantivy_s_en_stem() {
        let mut tantivy = TokenizerManager::default()
            .get(TOKENIZER)
            .expect("Tantivy registers en_stem");
        let mut remembering = analyzer();
        let mut short = short_text_analyzer();
        let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog");
        let mut files = 0;
        let mut words = 0;
        let mut own = 0;
        for entry in walkdir(&catalog) {
            let text = std::fs::read_to_string(&entry).expect("a bundled article reads");
            for _ in 0..2 {
                let expected = expected(&mut tantivy, &text);
                words += expected.len();
                own += expected
                    .iter()
                    .filter(|(term, ..)| OWN_STEMS.iter().any(|(_, stem)| stem == term))
                    .count();
                assert_eq!(
                    tokens(&mut remembering, &text),
                    expected,
                    "{}",
                    entry.display()
                );
            }
            assert_eq!(
                tokens(&mut short, &text),
                expected(&mut tantivy, &text),
                "{}",
                entry.display()
            );
            files += 1;
        }
        assert!(
            files > 40 && words > 100_000 && own > 100,
            "{files} files, {words} words, {own} with their own stem"
        );
    }

    #[test]
    fn words_of_another_meaning_keep_stems_apart() {
        let mut analyzer = analyzer();
        let stems = |analyzer: &mut TextAnalyzer, text: &str| -> Vec<String> {
            tokens(analyzer, text).into_iter().map(|t| t.0).collect()
        };
        assert_eq!(
            stems(&mut analyzer, "Load Balancers, the balancer"),
            ["load", "balancer", "the", "balancer"]
        );
        assert_eq!(
            stems(&mut analyzer, "balance balances"),
            ["balanc", "balanc"]
        );
        assert_eq!(
            stems(&mut analyzer, "containers contain; consistency consists"),
            ["container", "contain", "consistent", "consist"]
        );
        assert!(
            OWN_STEMS.windows(2).all(|pair| pair[0].0 < pair[1].0),
            "OWN_STEMS is sorted, for the binary search"
        );
        for (word, stem) in OWN_STEMS {
            assert_eq!(
                word.get(..2),
                stem.get(..2),
                "{word}: the snippets rely on it"
            );
        }
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
