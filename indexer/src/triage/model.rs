//! What triage knows of the catalog: every problem's symptoms and signatures, normalised and
//! weighed once when a generation is opened, and the causal edges between problems.

use rustc_hash::{FxHashMap, FxHashSet};
use sqlx::Row;
use tantivy::tokenizer::TextAnalyzer;

use super::meaning::cosine;
use super::normalize::normalize_line;
use super::signatures::SignatureIndex;
use crate::search::fold_compatibility;
use crate::store::SqlitePool;
use crate::{Error, Result};

/// What a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceKind {
    /// An observation in people's words, which triage may ask about.
    Symptom,
    /// How someone reported the problem in their own words: matched like a symptom, never
    /// asked about.
    Report,
    /// A log line or error message as software prints it.
    Signature,
}

impl EvidenceKind {
    /// Whether it is in people's words (a symptom or a report), not software's.
    pub fn is_observation(self) -> bool {
        matches!(self, EvidenceKind::Symptom | EvidenceKind::Report)
    }
}

/// A problem, as triage names it.
#[derive(Debug, Clone)]
pub struct ProblemEntry {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Other names people use for it.
    pub aliases: Vec<String>,
}

/// One symptom or signature of a problem.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The problem it belongs to (index into the problems).
    pub problem: u32,
    /// Symptom or signature.
    pub kind: EvidenceKind,
    /// The text, verbatim.
    pub text: String,
    /// Where a signature comes from.
    pub source: Option<String>,
}

/// The input of [`TriageModel::new`]: problems, their evidence and causal edges (as indexes
/// into the problems: `(cause, effect)`).
#[derive(Debug, Clone, Default)]
pub struct ModelParts {
    /// Problems.
    pub problems: Vec<ProblemEntry>,
    /// Their symptoms and signatures.
    pub evidence: Vec<Evidence>,
    /// `(cause, effect)` pairs.
    pub causes: Vec<(u32, u32)>,
}

/// A sparse vector of stemmed words, weighed by tf-idf and of unit length.
pub type WordVector = Vec<(u32, f32)>;

/// The catalog, prepared for triage.
pub struct TriageModel {
    pub(crate) problems: Vec<ProblemEntry>,
    pub(crate) evidence: Vec<Evidence>,
    pub(crate) signatures: SignatureIndex,
    /// Per evidence, its word vector.
    pub(crate) vectors: Vec<WordVector>,
    /// Per evidence, the word vector of its main clause (see [`main_clause`]) when that is
    /// not the whole text.
    main_vectors: Vec<Option<WordVector>>,
    /// Per evidence, what a symptom means (see [`super::meaning`]); none for signatures.
    meanings: Vec<Option<Vec<f32>>>,
    /// Stemmed word → (id, idf).
    vocabulary: FxHashMap<String, (u32, f32)>,
    /// Word id → the evidence holding it, with its weight there.
    postings: Vec<Vec<(u32, f32)>>,
    /// Per problem, its evidence.
    pub(crate) by_problem: Vec<Vec<u32>>,
    /// Per evidence, its text without case, punctuation or spacing (see `same_statement`).
    pub(crate) statements: Vec<String>,
    pub(crate) causes: Vec<(u32, u32)>,
    analyzer: TextAnalyzer,
    /// [`STOP_WORDS`] as the analyzer stems them (`every` is `everi`).
    stop_stems: FxHashSet<String>,
    /// Per problem, its names as stems (see [`Self::named_in`]).
    names: Vec<Vec<Vec<String>>>,
}

/// The problems, their evidence and causal edges, as stored.
async fn read_parts(pool: &SqlitePool) -> sqlx::Result<ModelParts> {
    let rows = sqlx::query("SELECT id, title FROM problems ORDER BY id")
        .fetch_all(pool)
        .await?;
    let mut parts = ModelParts::default();
    let mut index_of: FxHashMap<String, u32> = FxHashMap::default();
    for row in rows {
        let id: String = row.try_get("id")?;
        index_of.insert(id.clone(), parts.problems.len() as u32);
        parts.problems.push(ProblemEntry {
            id,
            title: row.try_get("title")?,
            aliases: Vec::new(),
        });
    }
    let rows =
        sqlx::query("SELECT problem_id, alias FROM problem_aliases ORDER BY problem_id, position")
            .fetch_all(pool)
            .await?;
    for row in rows {
        let id: String = row.try_get("problem_id")?;
        if let Some(problem) = index_of
            .get(&id)
            .and_then(|&at| parts.problems.get_mut(at as usize))
        {
            problem.aliases.push(row.try_get("alias")?);
        }
    }
    let rows = sqlx::query(
        "SELECT problem_id, kind, text, source FROM evidence ORDER BY problem_id, position",
    )
    .fetch_all(pool)
    .await?;
    for row in rows {
        let id: String = row.try_get("problem_id")?;
        let Some(&problem) = index_of.get(&id) else {
            continue;
        };
        let kind: String = row.try_get("kind")?;
        parts.evidence.push(Evidence {
            problem,
            kind: match kind.as_str() {
                "signature" => EvidenceKind::Signature,
                "report" => EvidenceKind::Report,
                _ => EvidenceKind::Symptom,
            },
            text: row.try_get("text")?,
            source: row.try_get("source")?,
        });
    }
    let rows = sqlx::query(
        "SELECT source_id, target_id FROM edges WHERE kind = 'causes' AND target_id IS NOT NULL ORDER BY source_id, position",
    )
    .fetch_all(pool)
    .await?;
    for row in rows {
        let source: String = row.try_get("source_id")?;
        let target: String = row.try_get("target_id")?;
        if let (Some(&cause), Some(&effect)) = (index_of.get(&source), index_of.get(&target))
            && cause != effect
        {
            parts.causes.push((cause, effect));
        }
    }
    Ok(parts)
}

/// A symptom up to its contrast: `request rate doubles while user traffic is flat` says the
/// request rate doubles; what follows `while`, `although` or `even though` is what stays
/// normal, the opposite of what the symptom reports.
pub(crate) fn main_clause(text: &str) -> &str {
    const CONTRASTS: &[&str] = &[
        " while ",
        " although ",
        " even though ",
        " though ",
        " yet ",
    ];
    let lower = text.to_ascii_lowercase();
    let cut = CONTRASTS
        .iter()
        .filter_map(|marker| lower.find(marker))
        .min()
        .unwrap_or(text.len());
    text.get(..cut).unwrap_or(text)
}

/// The fewest words a problem's name must have to be recognised in a ruled-out statement: one
/// word (`caching`, `sharding`) is as often part of the situation as the problem's name.
const MIN_NAME_WORDS: usize = 2;

/// Notations the tokenizer would split into letters and numbers it then drops, each as one
/// word: `blocking I/O` names the blocking-io problem, and `an N+1 problem` (or `n plus one`)
/// the n-plus-one one, only if `I/O` and `N+1` stay words.
const NOTATIONS: &[(&str, &str)] = &[
    ("i/o", "io"),
    ("n+1", "nplusone"),
    ("n + 1", "nplusone"),
    ("n plus one", "nplusone"),
    ("n-plus-one", "nplusone"),
];

/// `text` with each of [`NOTATIONS`] that stands as a word of its own (not inside
/// `api/orders`) replaced, ignoring case.
fn fold_notation(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let may_hold = bytes.iter().any(|&b| b == b'/' || b == b'+')
        || bytes.windows(4).any(|w| w.eq_ignore_ascii_case(b"plus"));
    if !may_hold {
        return std::borrow::Cow::Borrowed(text);
    }
    let lower = text.to_ascii_lowercase();
    if !NOTATIONS.iter().any(|(from, _)| lower.contains(from)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let bytes = lower.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    'scan: while at < text.len() {
        let starts_word = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if starts_word {
            for (from, to) in NOTATIONS {
                let end = at + from.len();
                if lower[at..].starts_with(from)
                    && bytes.get(end).is_none_or(|b| !b.is_ascii_alphanumeric())
                {
                    out.push_str(to);
                    at = end;
                    continue 'scan;
                }
            }
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        out.push(c);
        at += c.len_utf8();
    }
    std::borrow::Cow::Owned(out)
}

/// Words that name no problem in a ruled-out statement's hypothesis (`a circuit breaker
/// problem`), as the analyzer stems them.
const FILLER_STEMS: &[&str] = &["problem", "issu", "bug", "thing", "kind", "sort"];

/// What a text means, without its stop words.
fn meaning_of(text: &str) -> Option<Vec<f32>> {
    super::meaning::word_meaning()?.embed(text, is_stop_word)
}

/// Words that say nothing about which problem it is.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in",
    "is", "it", "its", "of", "on", "or", "our", "so", "that", "the", "their", "then", "there",
    "these", "they", "this", "to", "was", "we", "were", "when", "which", "while", "with", "after",
    "before", "every", "some", "all", "into", "out", "up", "about", "than", "them", "been",
    "being", "do", "does", "did", "not", "no",
    // `%` is not a word to the analyzer; `percent` is the same sign spelled out.
    "percent",
];

/// Counts in words, one to ninety: a count is no clue, in digits or in words. The statements'
/// searches leave them all out (ratios aside); the word match leaves out eleven and up, as it
/// does digits, and keeps one to ten, which tell who took part (`two customers`).
pub(crate) const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
];

/// Whether a word is left out of the word match: a stop word, or a count above ten.
fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word) || NUMBER_WORDS[10..].contains(&word)
}

impl TriageModel {
    /// Reads the model from a generation's database.
    pub async fn load(pool: &SqlitePool) -> Result<TriageModel> {
        let parts = read_parts(pool)
            .await
            .map_err(|err| Error::store("catalog.sqlite", err))?;
        Ok(TriageModel::new(parts))
    }

    /// Prepares the model: normalises signatures and weighs the words of every piece of
    /// evidence.
    pub fn new(parts: ModelParts) -> TriageModel {
        let analyzer = crate::search::short_text_analyzer();
        let mut model = TriageModel {
            signatures: SignatureIndex::new(
                parts
                    .evidence
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.kind == EvidenceKind::Signature)
                    .map(|(key, e)| (key, normalize_line(&e.text))),
            ),
            by_problem: vec![Vec::new(); parts.problems.len()],
            statements: parts
                .evidence
                .iter()
                .map(|e| super::diagnose::same_statement(&e.text))
                .collect(),
            problems: parts.problems,
            vectors: Vec::new(),
            main_vectors: Vec::new(),
            meanings: Vec::new(),
            vocabulary: FxHashMap::default(),
            postings: Vec::new(),
            causes: parts.causes,
            stop_stems: FxHashSet::default(),
            names: Vec::new(),
            analyzer,
            evidence: Vec::new(),
        };
        let mut analyzer = model.analyzer.clone();
        model.stop_stems = STOP_WORDS
            .iter()
            .chain(&NUMBER_WORDS[10..])
            .filter_map(|word| {
                let mut stream = analyzer.token_stream(word);
                stream.advance().then(|| stream.token().text.clone())
            })
            .collect();
        model.names = model
            .problems
            .iter()
            .map(|problem| {
                let slug = problem.id.rsplit('/').next().unwrap_or(&problem.id);
                let named = problem.title.split_once(':').map(|(name, _)| name);
                // An alias is a name its author chose, of any length (`overselling`).
                let given = [Some(slug), named]
                    .into_iter()
                    .flatten()
                    .map(|n| (n, MIN_NAME_WORDS));
                let aliases = problem.aliases.iter().map(|alias| (alias.as_str(), 1));
                let mut names: Vec<Vec<String>> = given
                    .chain(aliases)
                    .filter_map(|(name, fewest)| {
                        let stems = model.name_words(name);
                        (stems.len() >= fewest).then_some(stems)
                    })
                    .collect();
                names.dedup();
                names
            })
            .collect();
        let stems: Vec<Vec<String>> = parts
            .evidence
            .iter()
            .map(|e| model.stems(&e.text))
            .collect();
        // Word weights come from the symptoms and reports, the words people use for what they
        // see: adding a log message must not shift how a statement matches them. A word only
        // signatures hold weighs as a word one symptom holds.
        let mut document_frequency: FxHashMap<&str, u32> = FxHashMap::default();
        let mut symptoms = 0u32;
        for (words, evidence) in stems.iter().zip(&parts.evidence) {
            let mut distinct: Vec<&str> = words.iter().map(String::as_str).collect();
            distinct.sort_unstable();
            distinct.dedup();
            let symptom = evidence.kind.is_observation();
            symptoms += u32::from(symptom);
            for word in distinct {
                *document_frequency.entry(word).or_default() += u32::from(symptom);
            }
        }
        let count = symptoms.max(1) as f32;
        let mut words: Vec<(&str, u32)> = document_frequency.into_iter().collect();
        words.sort_unstable();
        for (id, (word, df)) in words.into_iter().enumerate() {
            model.vocabulary.insert(
                word.to_string(),
                (id as u32, (1.0 + count / df.max(1) as f32).ln()),
            );
        }
        model.postings = vec![Vec::new(); model.vocabulary.len()];
        for (position, words) in stems.iter().enumerate() {
            let vector = model.vector_of(words);
            for &(word, weight) in &vector {
                model.postings[word as usize].push((position as u32, weight));
            }
            model.vectors.push(vector);
        }
        model.main_vectors = parts
            .evidence
            .iter()
            .map(|evidence| {
                let main = main_clause(&evidence.text);
                (main.len() < evidence.text.len()).then(|| model.vector(main))
            })
            .collect();
        model.meanings = parts
            .evidence
            .iter()
            .map(|evidence| match evidence.kind {
                EvidenceKind::Symptom | EvidenceKind::Report => meaning_of(&evidence.text),
                EvidenceKind::Signature => None,
            })
            .collect();
        for (position, evidence) in parts.evidence.iter().enumerate() {
            if let Some(list) = model.by_problem.get_mut(evidence.problem as usize) {
                list.push(position as u32);
            }
        }
        model.evidence = parts.evidence;
        model
    }

    /// Per problem, how close a text comes in meaning to its closest symptom (cosine); `None`
    /// when the text has no word that means anything. (Titles as well put one more of the
    /// 610 observation-set cases second: BENCHMARKS.md.)
    pub(crate) fn meaning_per_problem(&self, text: &str) -> Option<Vec<f32>> {
        let meaning = meaning_of(text)?;
        let mut best = vec![0.0f32; self.problems.len()];
        for (evidence, symptom) in self.evidence.iter().zip(&self.meanings) {
            if let (Some(symptom), Some(slot)) = (symptom, best.get_mut(evidence.problem as usize))
            {
                *slot = slot.max(cosine(&meaning, symptom));
            }
        }
        Some(best)
    }

    /// The words a name is recognised by: stemmed, without stop words, sorted, each once.
    pub(crate) fn name_words(&self, name: &str) -> Vec<String> {
        let mut stems = self.stems(&name.replace(['-', '_'], " "));
        stems.sort_unstable();
        stems.dedup();
        stems
    }

    /// The words of a problem's title and names, stemmed.
    pub(crate) fn core_words(&self, problem: u32) -> FxHashSet<String> {
        let mut words: FxHashSet<String> = self
            .problems
            .get(problem as usize)
            .map(|p| self.stems(&p.title.replace(['-', '_'], " ")))
            .unwrap_or_default()
            .into_iter()
            .collect();
        for name in self.names_of(problem) {
            words.extend(name.iter().cloned());
        }
        words
    }

    /// A problem's names, each as [`Self::name_words`] gives it.
    pub(crate) fn names_of(&self, problem: u32) -> &[Vec<String>] {
        self.names.get(problem as usize).map_or(&[], Vec::as_slice)
    }

    /// The problems a text names: those with a name all of whose words it uses. A problem's
    /// names are its id's last part (`memory-leak`) and, when its title has a colon, the
    /// title before it (`Split Brain: Two Primaries …`), each of at least
    /// [`MIN_NAME_WORDS`] words that are not stop words, and its aliases, of any length.
    ///
    /// People also shorten a name of three words or more (`a timeout domino`, `silent
    /// corruption`, `a circuit breaker problem`): a text whose own words (two at least, filler
    /// such as `problem` aside) all belong to such a name and make up two thirds of it names
    /// that problem too, when no other problem's name holds them all. A text with any word
    /// the name lacks (`a duplicate event from the producer`) describes something, and is
    /// left to the word match.
    pub(crate) fn named_in(&self, text: &str) -> Vec<u32> {
        let stems: FxHashSet<String> = self.stems(text).into_iter().collect();
        let mut named: Vec<u32> = self
            .names
            .iter()
            .enumerate()
            .filter(|(_, names)| {
                names
                    .iter()
                    .any(|name| name.iter().all(|stem| stems.contains(stem)))
            })
            .map(|(problem, _)| problem as u32)
            .collect();
        let own: Vec<&str> = stems
            .iter()
            .map(String::as_str)
            .filter(|stem| !FILLER_STEMS.contains(stem))
            .collect();
        if own.len() >= MIN_NAME_WORDS {
            let shortened: Vec<u32> = (0..self.names.len() as u32)
                .filter(|&problem| {
                    self.names_of(problem).iter().any(|name| {
                        name.len() >= 3
                            && 3 * own.len() >= 2 * name.len()
                            && own.iter().all(|stem| name.iter().any(|word| word == stem))
                    })
                })
                .collect();
            if let [problem] = shortened[..]
                && !named.contains(&problem)
            {
                named.push(problem);
            }
        }
        named
    }

    /// How many problems it knows.
    pub fn len(&self) -> usize {
        self.problems.len()
    }

    /// Whether it knows none.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// How many signatures it matches lines against.
    pub fn signature_count(&self) -> usize {
        self.signatures.len()
    }

    /// The index of a problem by id.
    pub fn problem_index(&self, id: &str) -> Option<u32> {
        self.problems
            .iter()
            .position(|p| p.id == id)
            .map(|i| i as u32)
    }

    /// Whether a problem (by index) lists this symptom (ignoring case, punctuation and
    /// spacing).
    pub fn lists_symptom(&self, problem: u32, text: &str) -> bool {
        self.lists_statement(problem, &super::diagnose::same_statement(text))
    }

    /// Whether some problem lists a symptom whose `same_statement` key is `wanted`.
    pub(crate) fn is_symptom(&self, wanted: &str) -> bool {
        self.evidence
            .iter()
            .zip(&self.statements)
            .any(|(e, statement)| e.kind == EvidenceKind::Symptom && statement == wanted)
    }

    /// Whether a problem (by index) lists a symptom whose `same_statement` key is `wanted`.
    pub(crate) fn lists_statement(&self, problem: u32, wanted: &str) -> bool {
        self.by_problem.get(problem as usize).is_some_and(|list| {
            list.iter().any(|&e| {
                self.evidence[e as usize].kind == EvidenceKind::Symptom
                    && self.statements[e as usize] == wanted
            })
        })
    }

    /// The stemmed, lower-cased words of a text, without stop words.
    pub(crate) fn stems(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.analyzer.clone();
        let text = fold_compatibility(text);
        let text = fold_notation(&text);
        let mut stream = analyzer.token_stream(&text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            if self.stop_stems.contains(&token.text)
                || token.text.chars().all(|c| c.is_ascii_digit())
            {
                continue;
            }
            out.push(token.text.clone());
        }
        out
    }

    /// The unit tf-idf vector of stemmed words (words the catalog never uses are left out).
    pub(crate) fn vector_of(&self, words: &[String]) -> WordVector {
        let mut weights: FxHashMap<u32, f32> = FxHashMap::default();
        for word in words {
            if let Some(&(id, idf)) = self.vocabulary.get(word) {
                *weights.entry(id).or_default() += idf;
            }
        }
        let norm = weights.values().map(|w| w * w).sum::<f32>().sqrt();
        let mut vector: WordVector = weights
            .into_iter()
            .map(|(id, w)| (id, w / norm.max(f32::EPSILON)))
            .collect();
        vector.sort_unstable_by_key(|&(id, _)| id);
        vector
    }

    /// The word vector of a free text.
    pub(crate) fn vector(&self, text: &str) -> WordVector {
        self.vector_of(&self.stems(text))
    }

    /// Cosine similarity of a vector with every piece of evidence sharing a word with it.
    pub(crate) fn similarities(&self, vector: &WordVector) -> FxHashMap<u32, f32> {
        let mut out: FxHashMap<u32, f32> = FxHashMap::default();
        for &(word, weight) in vector {
            for &(evidence, other) in &self.postings[word as usize] {
                *out.entry(evidence).or_default() += weight * other;
            }
        }
        out
    }

    /// Per problem, the best cosine similarity of `vector` with one of its symptoms or
    /// signatures, or with `main_clauses`, with their main clauses (see [`main_clause`]).
    pub(crate) fn best_per_problem(
        &self,
        vector: &WordVector,
        main_clauses: bool,
    ) -> FxHashMap<u32, f32> {
        self.best_matches(vector, main_clauses)
            .into_iter()
            .map(|(problem, (similarity, _))| (problem, similarity))
            .collect()
    }

    /// Per problem, how many words of `vector` its best match (as [`Self::best_per_problem`]
    /// finds it) shares with it.
    pub(crate) fn shared_words_of_best(
        &self,
        vector: &WordVector,
        main_clauses: bool,
    ) -> FxHashMap<u32, usize> {
        self.best_matches(vector, main_clauses)
            .into_iter()
            .map(|(problem, (_, evidence))| {
                let matched = self.matched_vector(evidence, main_clauses);
                let shared = vector
                    .iter()
                    .filter(|(word, _)| matched.iter().any(|(w, _)| w == word))
                    .count();
                (problem, shared)
            })
            .collect()
    }

    /// Per problem, the text of its best match with `vector` (as [`Self::best_per_problem`]
    /// finds it).
    pub(crate) fn best_texts(
        &self,
        vector: &WordVector,
        main_clauses: bool,
    ) -> FxHashMap<u32, &str> {
        self.best_matches(vector, main_clauses)
            .into_iter()
            .map(|(problem, (_, evidence))| {
                (problem, self.evidence[evidence as usize].text.as_str())
            })
            .collect()
    }

    /// Per problem, its best match with `vector`: the similarity (at most 1) and the evidence.
    fn best_matches(&self, vector: &WordVector, main_clauses: bool) -> FxHashMap<u32, (f32, u32)> {
        let mut out: FxHashMap<u32, (f32, u32)> = FxHashMap::default();
        for (evidence, similarity) in self.similarities(vector) {
            // A main clause holds some of its text's words: only evidence sharing a word with
            // `vector` can share one with its main clause.
            let similarity = match &self.main_vectors[evidence as usize] {
                Some(main) if main_clauses => super::diagnose::dot(vector, main),
                _ => similarity,
            };
            let problem = self.evidence[evidence as usize].problem;
            let best = out.entry(problem).or_insert((0.0, evidence));
            if similarity.min(1.0) > best.0 {
                *best = (similarity.min(1.0), evidence);
            }
        }
        out
    }

    /// The words `evidence` is matched on: its main clause's, when `main_clauses` and it has
    /// one, else all of its text's.
    fn matched_vector(&self, evidence: u32, main_clauses: bool) -> &WordVector {
        match &self.main_vectors[evidence as usize] {
            Some(main) if main_clauses => main,
            _ => &self.vectors[evidence as usize],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notations_stay_words_where_they_stand_alone() {
        assert_eq!(
            fold_notation("Blocking I/O on a loop"),
            "Blocking io on a loop"
        );
        assert_eq!(fold_notation("an N+1 problem"), "an nplusone problem");
        assert_eq!(fold_notation("n-plus-one-query"), "nplusone-query");
        assert_eq!(fold_notation("the n plus one query"), "the nplusone query");
        // Inside a path or a word, and text without any, are left as they are.
        assert_eq!(fold_notation("GET api/orders"), "GET api/orders");
        assert_eq!(fold_notation("fn+10 and sign+1"), "fn+10 and sign+1");
        assert!(matches!(
            fold_notation("nothing to fold"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_symptom_s_main_clause_ends_at_its_contrast() {
        assert_eq!(
            main_clause("request rate doubles while user traffic at the edge is flat"),
            "request rate doubles"
        );
        assert_eq!(
            main_clause("one customer is slow EVEN THOUGH the others are fine, although rarely"),
            "one customer is slow"
        );
        assert_eq!(
            main_clause("pods restart every few hours"),
            "pods restart every few hours"
        );
    }

    #[test]
    fn stop_words_are_dropped_whatever_their_stem() {
        let model = TriageModel::new(ModelParts::default());
        // `every` stems to `everi` and `before` to `befor`: compared before stemming, they
        // were kept as if they said something about the problem.
        assert_eq!(
            model.stems("Every endpoint slowed before the deploy, and it does not recover"),
            ["endpoint", "slow", "deploy", "recov"]
        );
    }

    #[test]
    fn a_count_in_words_is_left_out_like_one_in_digits() {
        let model = TriageModel::new(ModelParts::default());
        assert_eq!(
            model.stems("writes stalled for twenty minutes"),
            model.stems("writes stalled for 20 minutes")
        );
    }
}
