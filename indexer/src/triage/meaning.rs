//! What a statement means, beyond its words: `memory creeps up over days` and `memory use
//! grows steadily` share one word, yet say the same thing.
//!
//! Static word-piece vectors distilled from the sentence model all-MiniLM-L6-v2, as Model2Vec
//! does (`scripts/distill-word-meaning.py` makes `data/word-meaning.bin`; the model is
//! Apache-2.0, see `data/NOTICE`). A text is split as the model's own (BERT, uncased)
//! tokenizer splits it, into word pieces by greedy longest match, and its vector is the mean
//! of its pieces' vectors, of unit length. It is built into the binary: no download, no
//! model to run.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

static DATA: &[u8] = include_bytes!("../../data/word-meaning.bin");

const MAGIC: &[u8; 8] = b"CATWM001";
/// A word longer than this is unknown (BERT's WordPiece limit) and left out.
const MAX_WORD_CHARS: usize = 100;

/// The word-piece vectors.
pub struct WordMeaning {
    dims: usize,
    scales: Vec<f32>,
    pieces: FxHashMap<&'static str, u32>,
    values: &'static [u8],
}

/// The vectors built into the binary, read once.
pub fn word_meaning() -> Option<&'static WordMeaning> {
    static MEANING: OnceLock<Option<WordMeaning>> = OnceLock::new();
    MEANING.get_or_init(|| WordMeaning::parse(DATA)).as_ref()
}

impl WordMeaning {
    /// Reads the file `scripts/distill-word-meaning.py` writes; `None` when it is not one.
    fn parse(bytes: &'static [u8]) -> Option<WordMeaning> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let read_u32 = |at: &[u8]| -> Option<usize> {
            Some(u32::from_le_bytes(at.get(..4)?.try_into().ok()?) as usize)
        };
        let dims = read_u32(rest)?;
        let count = read_u32(rest.get(4..)?)?;
        let mut rest = rest.get(8..)?;
        let mut scales = Vec::with_capacity(dims);
        for _ in 0..dims {
            scales.push(f32::from_le_bytes(rest.get(..4)?.try_into().ok()?));
            rest = rest.get(4..)?;
        }
        let mut pieces = FxHashMap::default();
        for id in 0..count {
            let len = usize::from(*rest.first()?);
            let piece = std::str::from_utf8(rest.get(1..1 + len)?).ok()?;
            pieces.insert(piece, id as u32);
            rest = rest.get(1 + len..)?;
        }
        (dims > 0 && rest.len() == count * dims).then_some(WordMeaning {
            dims,
            scales,
            pieces,
            values: rest,
        })
    }

    /// The vector of a text (unit length), leaving out the words `skip` says carry no
    /// meaning; `None` when no word is left.
    pub fn embed(&self, text: &str, skip: impl Fn(&str) -> bool) -> Option<Vec<f32>> {
        let mut sum = vec![0.0f32; self.dims];
        let mut pieces = Vec::new();
        for word in words(text) {
            if skip(&word) {
                continue;
            }
            self.word_pieces(&word, &mut pieces);
        }
        for &piece in &pieces {
            let row = &self.values[piece as usize * self.dims..][..self.dims];
            for ((total, &value), scale) in sum.iter_mut().zip(row).zip(&self.scales) {
                *total += f32::from(value as i8) * scale;
            }
        }
        let norm = sum.iter().map(|v| v * v).sum::<f32>().sqrt();
        (norm > 0.0).then(|| sum.into_iter().map(|v| v / norm).collect())
    }

    /// A word's pieces, by greedy longest match (`unaffordable` is `una ##ffo ##rda ##ble`
    /// or whatever the vocabulary holds); nothing when some part matches no piece.
    fn word_pieces(&self, word: &str, out: &mut Vec<u32>) {
        if word.chars().count() > MAX_WORD_CHARS {
            return;
        }
        let start_len = out.len();
        let mut start = 0;
        let mut buffer = String::new();
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while end > start {
                if word.is_char_boundary(end) {
                    buffer.clear();
                    if start > 0 {
                        buffer.push_str("##");
                    }
                    buffer.push_str(&word[start..end]);
                    if let Some(&id) = self.pieces.get(buffer.as_str()) {
                        found = Some(id);
                        break;
                    }
                }
                end -= 1;
            }
            match found {
                Some(id) => out.push(id),
                None => {
                    out.truncate(start_len);
                    return;
                }
            }
            start = end;
        }
    }
}

/// The words of a text as BERT's basic tokenizer splits them: lower-cased, at white space,
/// with each punctuation mark a word of its own (punctuation carries no meaning here and is
/// dropped).
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in crate::search::fold_compatibility(text).chars() {
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The cosine of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meaning() -> &'static WordMeaning {
        word_meaning().expect("the built-in word-piece vectors parse")
    }

    fn similarity(a: &str, b: &str) -> f32 {
        let m = meaning();
        cosine(
            &m.embed(a, |_| false).expect("a has words"),
            &m.embed(b, |_| false).expect("b has words"),
        )
    }

    #[test]
    fn the_built_in_vectors_hold_the_model_vocabulary() {
        let m = meaning();
        assert_eq!(m.dims, 256);
        assert!(m.pieces.len() > 29_000, "{} pieces", m.pieces.len());
        assert!(m.pieces.contains_key("memory") && m.pieces.contains_key("##ing"));
    }

    #[test]
    fn a_word_outside_the_vocabulary_is_read_in_pieces() {
        let m = meaning();
        let mut pieces = Vec::new();
        m.word_pieces("autovacuum", &mut pieces);
        assert!(pieces.len() >= 2, "{pieces:?}");
        let mut whole = Vec::new();
        m.word_pieces("memory", &mut whole);
        assert_eq!(whole.len(), 1);
        let mut none = Vec::new();
        m.word_pieces(&"x".repeat(MAX_WORD_CHARS + 1), &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn texts_that_say_the_same_in_other_words_are_closer() {
        let leak = "memory use grows steadily until the process is killed";
        let said = "memory creeps up over days";
        let other = "two customers booked the same seat";
        let (near, far) = (similarity(said, leak), similarity(said, other));
        assert!(near > far + 0.1, "{near} vs {far}");
        assert!((similarity(leak, leak) - 1.0).abs() < 1e-4);
    }

    #[test]
    fn a_text_of_skipped_words_or_punctuation_has_no_vector() {
        let m = meaning();
        assert!(m.embed("?! -- ...", |_| false).is_none());
        assert!(m.embed("the and", |w| w == "the" || w == "and").is_none());
        assert_eq!(
            words("Pod OOMKilled, again!"),
            ["pod", "oomkilled", "again"]
        );
    }
}
