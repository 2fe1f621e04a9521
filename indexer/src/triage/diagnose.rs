//! Differential diagnosis: which known problems explain a pasted log and a set of observed
//! and ruled-out statements, and which question to ask next.
//!
//! Each piece of evidence (a distinct log message, an observed or a ruled-out statement) is
//! matched against every problem, giving a strength `m` in [0, 1]: the similarity of a log
//! message to one of the problem's signatures, or of a statement to one of its symptoms or
//! signatures (tf-idf cosine over stemmed words), or, for what no signature or symptom
//! matches, the problem's place in the ranked search for it. Problems are then ranked by a
//! naive-Bayes posterior with a leak, as in QMR's noisy-OR model: a problem produces a
//! finding it lists with probability [`HIT`], and any other finding with the leak
//! probability [`LEAK`], so one observation a problem does not explain lowers it without
//! ruling it out. A ruled-out statement counts with the complementary probability, and rules
//! out altogether the one problem it clearly describes (its best match by a margin). It is
//! matched on the words the observed statements do not use: those describe the situation, not
//! the alternative it excludes.
//!
//! `next_checks` are the symptoms of the leading candidates, not yet asked about, whose
//! answer is expected to remove the most uncertainty (information gain over the posterior):
//! the first is the best alone, and each next one adds the most to the answers of those
//! before it, so that three checks answered together split the candidates three ways.

use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::model::{EvidenceKind, TriageModel, main_clause};
use super::normalize::{Placeholder, Template, Token, message_lines, normalize_line};
use super::signatures::SignatureMatch;
use crate::Result;
use crate::search::{SearchEngine, SearchRequest};

/// The probability that a problem produces a finding it lists.
pub const HIT: f64 = 0.9;
/// The probability that a problem produces a finding it does not list (the leak), for
/// statements and for messages looked up with the search.
pub const LEAK: f64 = 0.04;
/// The leak for a message that matched a signature: software printing a message that another
/// problem's signature describes, verbatim, under this problem is rarer than a vague statement
/// fitting it.
pub const SIGNATURE_LEAK: f64 = 0.005;
/// The probability that a problem produces what a ruled-out statement denies, when the
/// statement describes one of its symptoms: someone checked it because it tells problems
/// apart, so a problem that shows it almost always shows it.
const RULED_OUT_HIT: f64 = 0.999;
/// The probability that a problem shows what a ruled-out statement denies when the statement
/// names it (`a memory leak, memory is flat`): the person checked for that very problem, so it
/// goes below every problem that explains anything, however well it fits the rest.
const NAMED_OUT_MISS: f64 = 1e-12;
/// A ruled-out statement clearly describes one problem when its best match is at least this
/// strong and at least [`RULED_OUT_MARGIN`] stronger than its match with any other problem;
/// that problem is then ruled out (as if matched fully), and the others only lowered. Over
/// the observation sets, 888 → 894 of 920 first with the symptoms of that round: the sibling
/// pairs of the twenty-second set 9 → 13 of 18, the twenty-third 8 → 9 of 16, the
/// twenty-fourth (held out) unchanged at 4 of 12, the older sets one more (BENCHMARKS.md).
/// Without the margin, a statement about the topic of the answer rather than its mechanism
/// (`the customers meant two orders`) ruled the answer out, and the older sets lost more
/// than the pairs gained.
const RULED_OUT_CLEAR: f64 = 0.4;
const RULED_OUT_MARGIN: f64 = 0.1;
/// A ruled-out statement clearly describes a problem only when its best match with it shares
/// at least this many of the statement's words (all of them, when it has fewer). Over the
/// observation sets, 1,058 → 1,060 of 1,096 first, one of them in the held-out twenty-eighth
/// set (`demand did not fall` had ruled over-provisioning out through `scaling to demand`),
/// and none lower; at 3, two more first and a sibling pair of the twenty-second set lost
/// (BENCHMARKS.md).
const RULED_OUT_SHARED_WORDS: usize = 2;
/// A ruled-out hypothesis of at most this many words (stop words aside) names a suspect, and
/// clearly rules out only a problem whose title or names use one of them.
const BARE_SUSPECT_WORDS: usize = 3;
/// Prior odds of "none of the catalog's problems" against one problem.
const UNKNOWN_PRIOR: f64 = 2.0;
/// The probability of any finding under "none of the catalog's problems".
const UNKNOWN_HIT: f64 = 0.1;
/// A problem explains a finding when the finding matches it at least this well.
const EXPLAINS: f64 = 0.35;
/// A problem is a candidate when some finding matches it at least this well.
const CANDIDATE: f64 = 0.1;
/// The most observed (and the most ruled-out) statements a request may give: each is looked
/// up with the ranked search.
pub const MAX_STATEMENTS: usize = 50;
/// The most input triage reads (bytes).
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// Characters of a line that are read (the rest of a very long line is a payload).
const MAX_LINE_CHARS: usize = 2_000;
/// Unmatched messages that are looked up with the ranked search, at most.
const MAX_SEARCHED_LINES: usize = 20;
/// A search hit counts as this much of a match at best (a signature match counts fully).
const SEARCH_STRENGTH: f64 = 0.8;
/// A hit's share of the top hit's score counts raised to this power, so that the problem a
/// search puts first stands further above those behind it. Squared, over every observation
/// set, 1,563 → 1,570 of 1,624 came first and none came lower; log lines and complaints
/// after three checks were unchanged (BENCHMARKS.md).
const SEARCH_SHARPNESS: i32 = 2;
/// How many findings the joint search of two or more free-text statements weighs as. Each
/// statement alone is matched by its best words, often words every article uses; the
/// statements together pick the article that speaks of all of them. Over the eight
/// observation sets, 1 → 3 lifted four sets by a case or two each and lowered none; more
/// than 3 starts to cost the first set (BENCHMARKS.md).
const JOINT_WEIGHT: f64 = 3.0;
/// How much more the symptoms weigh in the search of a statement than in the catalog's
/// ranking, and the titles. With a repeated word said once, over the thirteen observation
/// sets, symptoms 1.5 and titles 0.75 put 10 more first (465 → 475 of 522), titles 0.75
/// alone 5; symptoms 2 and titles 0.5 cost the third set of complaints 2 of 44 after three
/// checks (BENCHMARKS.md).
const STATEMENT_SYMPTOMS: f32 = 1.5;
const STATEMENT_TITLE: f32 = 0.75;
/// How much an observed statement's closeness in meaning to a problem counts, in log-odds per
/// unit of cosine above the average problem's.
const MEANING_WEIGHT: f64 = 8.0;
/// A signature matching a line this much worse than the best one is not evidence.
const NEAR_MISS: f32 = 0.05;
/// Of the signatures matching a line about as well, those accounting for less than this share
/// of what the widest accounts for are held inside it, and not evidence.
const CONTAINED: f32 = 0.5;
/// A match below this similarity whose signatures account for less than `WEAK_COVERAGE` of
/// the line is weak: the line is also looked up with the search.
const STRONG_MATCH: f32 = 0.9;
const WEAK_COVERAGE: f32 = 0.25;
/// Search hits read per looked-up text.
const SEARCH_HITS: usize = 10;
/// A message no signature matches is looked up twice: by its template's words and as pasted.
/// This is the share the second search has in the strength of a hit; the first has the rest.
/// The template drops what the normaliser took for a value (`'max_allowed_packet'`, a reason
/// code in quotes), the line as pasted keeps it along with ids and names. Over every log line
/// triaged against the catalog without its signatures, a third put 358 → 371 of 431 first
/// (a quarter 365, a half 370, 0.6 365); with the signatures, 425 of 431 before and after,
/// where a half cost two (BENCHMARKS.md).
const PASTED_SHARE: f64 = 1.0 / 3.0;
/// Candidates whose symptoms are considered as next checks.
const CHECK_CANDIDATES: usize = 12;
/// Next checks returned.
const NEXT_CHECKS: usize = 3;
/// A check is already answered when an asked statement is this similar to it.
const ASKED_SIMILARITY: f32 = 0.7;

/// What to triage. Unknown fields are refused: a misspelt `observd` is not an empty request.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageRequest {
    /// Pasted log text (up to 1 MiB): one message per line; stack frames are skipped.
    #[serde(default)]
    pub text: String,
    /// Statements that hold ("requests queue behind the pool"), at most 50.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub observed: Vec<String>,
    /// Statements that do not hold, at most 50.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    pub ruled_out: Vec<String>,
    /// Candidates to return (default 5).
    #[serde(default, deserialize_with = "whole_number")]
    pub limit: Option<usize>,
    /// Also give each candidate's score finding by finding (`evidence`).
    #[serde(default)]
    pub explain: bool,
}

/// A log message that matched one of a candidate's signatures.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchedLine {
    /// The line as pasted (the first one of its template).
    pub line: String,
    /// The signature it matched, verbatim.
    pub signature: String,
    /// Where the signature comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How many pasted lines share this template.
    pub count: usize,
}

/// A whole number, also when JSON writes it as `12.0` (JSON Schema counts that as an integer).
fn whole_number<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<usize>, D::Error> {
    use serde::de::Error as _;
    let Some(number) = Option::<serde_json::Number>::deserialize(deserializer)? else {
        return Ok(None);
    };
    if let Some(whole) = number.as_u64() {
        return Ok(Some(usize::try_from(whole).unwrap_or(usize::MAX)));
    }
    match number.as_f64() {
        Some(value) if value >= 0.0 && value.fract() == 0.0 => Ok(Some(value as usize)),
        _ => Err(D::Error::custom(format!(
            "`limit` must be a whole number of 0 or more, got {number}"
        ))),
    }
}

/// A problem that may be behind what was pasted and observed.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Candidate {
    /// Problem id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Log-likelihood ratio of the evidence for this problem against none of it matching.
    pub score: f64,
    /// Posterior probability (over the catalog's problems and "none of them").
    pub probability: f64,
    /// Pasted messages that matched its signatures.
    pub matched_lines: Vec<MatchedLine>,
    /// Findings (messages and observed statements) it explains.
    pub explains: Vec<String>,
    /// Findings it does not explain.
    pub unexplained: Vec<String>,
    /// Ruled-out statements it lists as its own symptoms.
    pub contradicted: Vec<String>,
    /// What each finding adds to `score`, when the request asks to `explain`: they sum to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Vec<Contribution>>,
}

/// What kind of finding a contribution to a score comes from.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// A distinct pasted message.
    Message,
    /// An observed statement.
    Observed,
    /// A ruled-out statement.
    RuledOut,
    /// The free-text observed statements looked up together as one query.
    Together,
}

/// What one finding adds to a candidate's score.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contribution {
    /// The message or statement (empty for the statements together).
    pub finding: String,
    /// What kind of finding it is.
    pub kind: FindingKind,
    /// How well it matches the candidate, in [0, 1]: a signature's or symptom's similarity,
    /// or the candidate's place in the ranked search.
    pub strength: f64,
    /// Log-odds it adds to the score (negative when it counts against the candidate).
    pub log_odds: f64,
    /// The part of `log_odds` that comes from the statement's meaning, for an observed
    /// statement in free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<f64>,
    /// For a ruled-out statement: whether it rules the candidate out altogether, because it
    /// describes this problem clearly (its best match, by a margin). Its `log_odds` is then
    /// that of a full match, whatever `strength` says. Left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rules_out: bool,
}

/// A question worth asking next.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextCheck {
    /// A symptom, verbatim as the catalog lists it.
    pub symptom: String,
    /// The problems that list it.
    pub problems: Vec<String>,
    /// Expected information gain of its answer, in bits.
    pub gain: f64,
}

/// What the pasted text held.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinesSummary {
    /// Lines read.
    pub read: usize,
    /// Lines that are messages (not blank, not stack frames).
    pub messages: usize,
    /// Distinct messages once variable parts are replaced.
    pub templates: usize,
    /// Distinct messages matching a signature.
    pub matched: usize,
    /// Distinct messages looked up with the ranked search instead.
    pub searched: usize,
}

/// The answer of triage.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageResponse {
    /// Candidates, most probable first.
    pub candidates: Vec<Candidate>,
    /// Questions whose answers would best separate the candidates: the most informative
    /// first, then each adding the most to the answers of those before it.
    pub next_checks: Vec<NextCheck>,
    /// What was read from the pasted text.
    pub lines: LinesSummary,
    /// Time spent, in milliseconds.
    pub took_ms: f64,
}

/// Below this expected gain, in bits, no answer would change the ranking: the checks left
/// can only confirm what the evidence already says.
pub const SETTLED_GAIN: f64 = 0.01;

impl Candidate {
    /// The signatures its pasted lines matched, each once with the lines that matched it in
    /// all: one message can be pasted in several shapes (a framework's prefix, the exception's
    /// own line), which group apart but match the same signature.
    pub fn matched_signatures(&self) -> Vec<(&str, usize)> {
        let mut out: Vec<(&str, usize)> = Vec::new();
        for matched in &self.matched_lines {
            match out.iter_mut().find(|(text, _)| *text == matched.signature) {
                Some((_, count)) => *count += matched.count,
                None => out.push((&matched.signature, matched.count)),
            }
        }
        out
    }
}

impl TriageResponse {
    /// Whether no next check could change the ranking (each would only confirm it).
    pub fn is_settled(&self) -> bool {
        self.next_checks
            .iter()
            .all(|check| check.gain < SETTLED_GAIN)
    }

    /// Whether there are candidates but none explains a single finding: they share a few
    /// words with what was pasted or observed, or the one that fitted was ruled out.
    pub fn explains_nothing(&self) -> bool {
        !self.candidates.is_empty() && self.candidates.iter().all(|c| c.explains.is_empty())
    }
}

/// Why a request cannot be triaged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriageInputError {
    /// Nothing to go on.
    Empty,
    /// More than [`MAX_INPUT_BYTES`].
    TooLarge(usize),
    /// More than [`MAX_STATEMENTS`] observed or ruled-out statements.
    TooManyStatements(usize),
}

impl std::fmt::Display for TriageInputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TriageInputError::Empty => f.write_str(
                "nothing to triage: paste log text, or give an observed or ruled-out statement",
            ),
            TriageInputError::TooLarge(bytes) => write!(
                f,
                "{bytes} bytes of input is more than triage reads ({MAX_INPUT_BYTES} bytes); paste the lines around the failure"
            ),
            TriageInputError::TooManyStatements(count) => write!(
                f,
                "{count} statements is more than triage weighs at once ({MAX_STATEMENTS} observed and {MAX_STATEMENTS} ruled out)"
            ),
        }
    }
}

impl TriageRequest {
    /// Checks the request before any work.
    pub fn validate(&self) -> std::result::Result<(), TriageInputError> {
        let bytes = self.text.len()
            + self.observed.iter().map(String::len).sum::<usize>()
            + self.ruled_out.iter().map(String::len).sum::<usize>();
        if bytes > MAX_INPUT_BYTES {
            return Err(TriageInputError::TooLarge(bytes));
        }
        for list in [&self.observed, &self.ruled_out] {
            if list.len() > MAX_STATEMENTS {
                return Err(TriageInputError::TooManyStatements(list.len()));
            }
        }
        let blank = |list: &[String]| list.iter().all(|s| s.trim().is_empty());
        if self.text.trim().is_empty() && blank(&self.observed) && blank(&self.ruled_out) {
            return Err(TriageInputError::Empty);
        }
        Ok(())
    }
}

/// One finding: a distinct log message, or an observed or ruled-out statement.
struct Finding {
    label: String,
    kind: FindingKind,
    positive: bool,
    /// The probability that a problem it does not match produces it.
    leak: f64,
    /// Problem → strength of the match, in (0, 1].
    strength: FxHashMap<u32, f64>,
    /// Whether it is shown as explained or not (the joint search of the statements is not).
    shown: bool,
    /// Problem → the signature matched (for messages).
    signature: FxHashMap<u32, usize>,
    count: usize,
    /// How many findings it weighs as in the posterior.
    weight: f64,
    /// For a free-text observed statement: per problem, how close it comes in meaning to the
    /// problem's closest symptom.
    meaning: Option<Vec<f32>>,
    /// For a ruled-out statement: the problems it clearly describes (see [`RULED_OUT_CLEAR`]).
    rules_out: Vec<u32>,
    /// For a ruled-out statement: the problems its hypothesis names (`a memory leak, memory
    /// is flat`), which it takes out of the running (see [`NAMED_OUT_MISS`]).
    names: Vec<u32>,
}

impl Finding {
    /// The log-likelihood ratio of the finding for a problem it matches with strength `m`,
    /// against a problem it does not match: the problem produces it with probability `leak +
    /// (HIT - leak) m`, and a ruled-out statement counts with the complementary probability
    /// (with [`RULED_OUT_HIT`] for `HIT`).
    fn match_log_odds(&self, m: f64) -> f64 {
        let hit = if self.positive { HIT } else { RULED_OUT_HIT };
        let produced = self.leak + (hit - self.leak) * m;
        self.weight
            * if self.positive {
                produced.ln() - self.leak.ln()
            } else {
                (1.0 - produced).ln() - (1.0 - self.leak).ln()
            }
    }

    /// [`Self::match_log_odds`] for `problem`: a problem a ruled-out statement clearly
    /// describes counts as fully matched, and one it names shows what it denies with the
    /// probability [`NAMED_OUT_MISS`].
    fn log_odds_for(&self, problem: u32, m: f64) -> f64 {
        if self.names.contains(&problem) {
            self.weight * (NAMED_OUT_MISS.ln() - (1.0 - self.leak).ln())
        } else if self.rules_out.contains(&problem) {
            self.match_log_odds(1.0)
        } else {
            self.match_log_odds(m)
        }
    }

    /// The average problem's closeness in meaning to the statement, when it counts by meaning.
    fn mean_meaning(&self) -> Option<f64> {
        let meaning = self.meaning.as_ref().filter(|m| !m.is_empty())?;
        Some(meaning.iter().map(|&c| f64::from(c)).sum::<f64>() / meaning.len() as f64)
    }
}

/// What meaning adds to a problem: it moves the problems against one another, not against
/// "none of them", each by how much closer than the average problem (`mean`) the statement
/// comes to it (`cosine`).
fn meaning_shift(cosine: f32, mean: f64) -> f64 {
    MEANING_WEIGHT * (f64::from(cosine) - mean)
}

/// The problems a ruled-out statement clearly describes: its best match, when that match is
/// strong and a margin above the statement's match with any other problem.
fn clearly_described(strength: &FxHashMap<u32, f64>) -> Vec<u32> {
    let best = strength.values().copied().fold(0.0f64, f64::max);
    let second = strength
        .values()
        .copied()
        .filter(|&m| m < best)
        .fold(0.0f64, f64::max);
    if best < RULED_OUT_CLEAR || best - second < RULED_OUT_MARGIN {
        return Vec::new();
    }
    let mut clear: Vec<u32> = strength
        .iter()
        .filter(|&(_, &m)| m >= best)
        .map(|(&problem, _)| problem)
        .collect();
    clear.sort_unstable();
    clear
}

/// Whether a message looks like trouble (worth a search when no signature matches).
fn is_error_like(template: &Template) -> bool {
    const WORDS: &[&str] = &[
        "error",
        "err",
        "fatal",
        "panic",
        "exception",
        "fail",
        "failed",
        "failure",
        "refused",
        "timeout",
        "timed",
        "killed",
        "oom",
        "unavailable",
        "denied",
        "deadlock",
        "warn",
        "warning",
        "critical",
        "crit",
        "emerg",
        "severe",
        "unable",
        "cannot",
        "could",
        "reset",
        "exceeded",
        "rejected",
        "throttled",
        "too",
        "lost",
        "down",
        "unhealthy",
        "backoff",
    ];
    template.words().any(|word| {
        WORDS.contains(&word)
            || word.ends_with("exception")
            || word.ends_with("error")
            || word.contains("timeout")
    })
}

impl TriageModel {
    /// Triage: candidates and next checks. `search` looks up what no signature or symptom
    /// matches; without it, such findings are left unexplained.
    pub fn triage(
        &self,
        request: &TriageRequest,
        search: Option<&SearchEngine>,
    ) -> Result<TriageResponse> {
        let started = Instant::now();
        let limit = request.limit.unwrap_or(5).clamp(1, 100);
        let (mut findings, lines) = self.log_findings(&request.text, search)?;
        // What the pasted messages already say is not worth asking about.
        let mut asked: Vec<super::model::WordVector> = findings
            .iter()
            .take(50)
            .map(|finding| self.vector(&finding.label))
            .collect();
        let mut free: Vec<&str> = Vec::new();
        // The words the observed statements use describe the situation. A ruled-out statement
        // repeats them to say which alternative it excludes (`the posts were deleted on
        // purpose`, after `comments point at deleted posts`): they are no evidence against
        // the problem the observations describe, so a ruled-out statement is matched on its
        // other words only, and counts for less the more of its words are shared.
        let observed_stems: Vec<String> = request
            .observed
            .iter()
            .flat_map(|statement| self.stems(statement))
            .collect();
        let observed_words: FxHashSet<u32> = self
            .vector_of(&observed_stems)
            .into_iter()
            .map(|(word, _)| word)
            .collect();
        // Several sentences or clauses in one observation are several findings (`The fares
        // service slowed down. Then the booking API ran out of workers.`): each alone is
        // matched to the symptoms it tells of, as when they are given apart. An answered
        // check is kept whole, and so is a ruled-out statement (one hypothesis and how it was
        // checked). Cut so, the observations stay within [`MAX_STATEMENTS`] findings, or are
        // taken as given: a megabyte of prose must not become a hundred thousand searches.
        let observed: Vec<&str> = request
            .observed
            .iter()
            .flat_map(|statement| {
                if self.is_symptom(&same_statement(statement)) {
                    vec![statement.as_str()]
                } else {
                    sentences(without_label(statement))
                }
            })
            .collect();
        let observed = if observed.len() <= MAX_STATEMENTS {
            observed
        } else {
            request.observed.iter().map(String::as_str).collect()
        };
        let ruled_out: Vec<&str> = request.ruled_out.iter().map(String::as_str).collect();
        for (statements, positive) in [(&observed, true), (&ruled_out, false)] {
            for &statement in statements.iter().filter(|s| !s.trim().is_empty()) {
                let stems = self.stems(statement);
                let mut vector = self.vector_of(&stems);
                asked.push(vector.clone());
                if !positive {
                    vector.retain(|(word, _)| !observed_words.contains(word));
                }
                // What is ruled out denies what a symptom reports, not what it says stays
                // normal (`… while user traffic is flat` is no sign of more user traffic).
                let mut strength: FxHashMap<u32, f64> = self
                    .best_per_problem(&vector, !positive)
                    .into_iter()
                    .map(|(problem, similarity)| (problem, f64::from(similarity)))
                    .collect();
                // A catalog symptom (an answered check) is a known finding: the problems that
                // list it are known, and the search would only blur them. A ruled-out statement
                // counts against the problems that list it, not against every article whose
                // prose mentions it (most discuss causes they are not).
                let known = self.is_symptom(&same_statement(statement));
                if let Some(engine) = search.filter(|_| positive && !known) {
                    for (problem, found) in
                        self.searched(engine, &statement_query(statement), Lookup::Statement)?
                    {
                        let entry = strength.entry(problem).or_default();
                        *entry = entry.max(found);
                    }
                }
                strength.retain(|_, m| *m > 0.05);
                // People write what they ruled out as the hypothesis, then how they checked it:
                // `the database refusing connections, it has plenty free`. What follows the
                // comma holds, and may be the expected problem's own symptom: it counts against
                // no problem. The hypothesis alone lowers the problems it matches, and a problem
                // is ruled out only when the whole statement and the hypothesis both describe
                // it clearly.
                let head = hypothesis(statement);
                let head = (!positive && !known && head.len() < statement.len()).then(|| {
                    let stems = self.stems(head);
                    let mut vector = self.vector_of(&stems);
                    vector.retain(|(word, _)| !observed_words.contains(word));
                    let mut strength: FxHashMap<u32, f64> = self
                        .best_per_problem(&vector, true)
                        .into_iter()
                        .map(|(problem, similarity)| (problem, f64::from(similarity)))
                        .collect();
                    strength.retain(|_, m| *m > 0.05);
                    (stems, vector, strength)
                });
                let rules_out = if positive {
                    Vec::new()
                } else {
                    let mut clear = self.clearly_ruled_out(
                        statement,
                        &stems,
                        &vector,
                        &strength,
                        &observed_stems,
                    );
                    if let Some((stems, vector, strength)) = &head {
                        let head_clear = self.clearly_ruled_out(
                            statement,
                            stems,
                            vector,
                            strength,
                            &observed_stems,
                        );
                        clear.retain(|p| head_clear.contains(p));
                    }
                    // A suspect named in a few words (`mobile network, same on wifi`) is a
                    // cause someone checked, not a symptom they deny: it clearly rules out a
                    // problem its words name, not one whose symptoms happen to mention it
                    // (large payloads are `slow on mobile networks`).
                    // A short statement with nothing after it (`their comments stayed`) may
                    // as well deny a symptom, and is read as before.
                    let suspected = hypothesis(statement);
                    let suspect: FxHashSet<String> = self.stems(suspected).into_iter().collect();
                    if suspected.len() < statement.len() && suspect.len() <= BARE_SUSPECT_WORDS {
                        clear.retain(|&p| self.core_words(p).iter().any(|w| suspect.contains(w)));
                    }
                    clear
                };
                if let Some((_, _, head_strength)) = head {
                    strength = head_strength;
                }
                // A hypothesis that names a problem (`a memory leak, memory is flat`) rules
                // it out, whatever its words share with the problem's symptoms. (An answered
                // check counts against the problems that list it, as above.)
                let mut rules_out = rules_out;
                let names = if !positive && !known {
                    self.named_in(hypothesis(statement))
                } else {
                    Vec::new()
                };
                for &problem in &names {
                    strength.insert(problem, 1.0);
                    if !rules_out.contains(&problem) {
                        rules_out.push(problem);
                    }
                }
                if positive && !known {
                    free.push(statement.trim());
                }
                findings.push(Finding {
                    label: statement.trim().to_string(),
                    kind: if positive {
                        FindingKind::Observed
                    } else {
                        FindingKind::RuledOut
                    },
                    positive,
                    leak: LEAK,
                    strength,
                    shown: true,
                    signature: FxHashMap::default(),
                    count: 1,
                    weight: 1.0,
                    meaning: (positive && !known)
                        .then(|| self.meaning_per_problem(statement))
                        .flatten(),
                    rules_out,
                    names,
                });
            }
        }
        // The statements together, looked up as one query: each alone is short, and a problem
        // whose article speaks of all of them at once is likelier than one that shares a word
        // with each. It weighs as [`JOINT_WEIGHT`] findings, and is not listed as one.
        if let Some(engine) = search.filter(|_| free.len() >= 2) {
            let strength: FxHashMap<u32, f64> = self
                .searched(engine, &statement_query(&free.join(" ")), Lookup::Statement)?
                .into_iter()
                .collect();
            findings.push(Finding {
                label: String::new(),
                kind: FindingKind::Together,
                positive: true,
                leak: LEAK,
                strength,
                shown: false,
                signature: FxHashMap::default(),
                count: 1,
                weight: JOINT_WEIGHT,
                meaning: None,
                rules_out: Vec::new(),
                names: Vec::new(),
            });
        }
        let posterior = self.posterior(&findings);
        let mut order: Vec<u32> = (0..self.problems.len() as u32).collect();
        order.sort_by(|&a, &b| {
            posterior[b as usize]
                .1
                .total_cmp(&posterior[a as usize].1)
                .then(a.cmp(&b))
        });
        let candidates: Vec<Candidate> = order
            .iter()
            .filter(|&&p| {
                // Any trace of a positive finding: a problem the answers have lifted to the
                // top is listed even when no single finding matches it well.
                findings
                    .iter()
                    .any(|f| f.positive && f.strength.get(&p).is_some_and(|m| *m >= CANDIDATE))
            })
            .take(limit)
            .map(|&p| {
                let mut candidate = self.candidate(p, &findings, posterior[p as usize]);
                if request.explain {
                    candidate.evidence = Some(self.contributions(p, &findings));
                }
                candidate
            })
            .collect();
        let next_checks = if findings.is_empty() {
            Vec::new()
        } else {
            self.next_checks(&order, &posterior, &asked)
        };
        Ok(TriageResponse {
            candidates,
            next_checks,
            lines,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// The problems a ruled-out statement (its `stems`, its `vector` without the observed
    /// statements' words, its `strength` per problem) clearly describes, and so rules out.
    fn clearly_ruled_out(
        &self,
        statement: &str,
        stems: &[String],
        vector: &super::model::WordVector,
        strength: &FxHashMap<u32, f64>,
        observed_stems: &[String],
    ) -> Vec<u32> {
        // One shared word names a topic, not what was checked: `demand did not fall` is no
        // description of `scaling to demand halved the bill`. The statement's own words (those
        // the observations do not use) count whether or not an article uses them.
        let mut clear = clearly_described(strength);
        if !clear.is_empty() {
            let own: FxHashSet<&String> = stems
                .iter()
                .filter(|stem| !observed_stems.contains(stem))
                .collect();
            let need = RULED_OUT_SHARED_WORDS.min(own.len());
            let shared = self.shared_words_of_best(vector, true);
            clear.retain(|p| shared.get(p).is_some_and(|&n| n >= need));
        }
        // `the whole cluster being overloaded` does not deny `one node in the cluster is
        // overloaded`: ruling out the whole says nothing of a part.
        if !clear.is_empty() && speaks_of(statement, WHOLE) {
            let texts = self.best_texts(vector, true);
            clear.retain(|p| {
                !texts
                    .get(p)
                    .is_some_and(|text| speaks_of(main_clause(text), PART))
            });
        }
        clear
    }

    /// The findings of the pasted text: one per distinct message.
    fn log_findings(
        &self,
        text: &str,
        search: Option<&SearchEngine>,
    ) -> Result<(Vec<Finding>, LinesSummary)> {
        let mut summary = LinesSummary {
            read: text.lines().count(),
            ..LinesSummary::default()
        };
        let messages = message_lines(text, MAX_LINE_CHARS);
        summary.messages = messages.len();
        // Distinct templates in order of first appearance, with a count. An access log's lines
        // share one template whatever their status, so the HTTP error status a line reports
        // is part of what groups it: the 504s are not counted among the 200s.
        let mut uniques: Vec<Template> = Vec::new();
        let mut template_ids: FxHashMap<Template, usize> = FxHashMap::default();
        let mut templates: Vec<(usize, &str, usize)> = Vec::new();
        let mut failing: FxHashSet<usize> = FxHashSet::default();
        let mut seen: FxHashMap<(usize, Vec<String>), usize> = FxHashMap::default();
        // Lines are normalised, and distinct templates aligned, on every core: a 1 MiB log
        // of distinct lines spends most of its time there.
        let normalized: Vec<(&str, Template)> = messages
            .par_iter()
            .map(|&(_, line)| (line, normalize_line(line)))
            .collect();
        for (line, template) in normalized {
            if template.0.is_empty() {
                continue;
            }
            let id = match template_ids.get(&template) {
                Some(&id) => id,
                None => {
                    template_ids.insert(template.clone(), uniques.len());
                    uniques.push(template);
                    uniques.len() - 1
                }
            };
            let key = (id, status_codes(line));
            match seen.get(&key) {
                Some(&at) => templates[at].2 += 1,
                None => {
                    if key.1.iter().any(|code| is_failure_status(code)) {
                        failing.insert(templates.len());
                    }
                    seen.insert(key, templates.len());
                    templates.push((id, line.trim(), 1));
                }
            }
        }
        summary.templates = templates.len();
        let mut findings = Vec::new();
        let mut unmatched = Vec::new();
        // Groups that differ only in their status share a template: align it once.
        let aligned: Vec<Vec<SignatureMatch>> = uniques
            .par_iter()
            .map(|template| self.signatures.matches(template))
            .collect();
        for (at, &(id, line, count)) in templates.iter().enumerate() {
            let template = &uniques[id];
            let matches = aligned[id].clone();
            if matches.is_empty() {
                unmatched.push((at, template, line, count, None));
                continue;
            }
            let mut strength: FxHashMap<u32, f64> = FxHashMap::default();
            let mut signature: FxHashMap<u32, usize> = FxHashMap::default();
            // The signatures that describe the line best explain it; one that only shares
            // most of its words (`... due to lock timeout` for `... due to statement
            // timeout`) does not, nor does a short one the line holds beside a longer one
            // (`connection timed out` inside nginx's `upstream timed out (110: Connection
            // timed out) while reading response header from upstream`).
            let best = matches.first().map_or(0.0, |m| m.similarity);
            let close: Vec<SignatureMatch> = matches
                .into_iter()
                .filter(|m| m.similarity >= best - NEAR_MISS)
                .collect();
            let widest = close.iter().map(|m| m.line_coverage).fold(0.0, f32::max);
            // A signature found only in part, in a line that says much else, is a hint
            // like a search hit, not a match: the line is looked up as well.
            let weak = best < STRONG_MATCH && widest < WEAK_COVERAGE;
            for found in close
                .into_iter()
                .filter(|m| m.line_coverage >= widest * CONTAINED)
            {
                let problem = self.evidence[found.key].problem;
                let similarity = f64::from(found.similarity);
                if strength.get(&problem).is_none_or(|m| *m < similarity) {
                    strength.insert(problem, similarity);
                    signature.insert(problem, found.key);
                }
            }
            summary.matched += 1;
            if weak {
                unmatched.push((at, template, line, count, Some(findings.len())));
            }
            findings.push(Finding {
                label: shorten(line),
                kind: FindingKind::Message,
                positive: true,
                leak: if weak { LEAK } else { SIGNATURE_LEAK },
                strength,
                shown: true,
                signature,
                count,
                weight: 1.0,
                meaning: None,
                rules_out: Vec::new(),
                names: Vec::new(),
            });
        }
        if let Some(engine) = search {
            // Few messages: each is worth a look. Many: only those that look like trouble.
            let everything = templates.len() <= 5;
            let mut looked_up = FxHashSet::default();
            for (at, template, line, count, partly) in unmatched {
                if summary.searched >= MAX_SEARCHED_LINES {
                    break;
                }
                if !everything && !is_error_like(template) && !failing.contains(&at) {
                    continue;
                }
                let query = search_query(template, line);
                if query.is_empty() || !looked_up.insert(query.clone()) {
                    continue;
                }
                let mut strength: FxHashMap<u32, f64> = FxHashMap::default();
                for (lookup, text, share) in [
                    (Lookup::Message, query.as_str(), 1.0 - PASTED_SHARE),
                    (Lookup::Pasted, line, PASTED_SHARE),
                ] {
                    for (problem, found) in self.searched(engine, text, lookup)? {
                        *strength.entry(problem).or_default() += share * found;
                    }
                }
                if strength.is_empty() {
                    continue;
                }
                summary.searched += 1;
                if let Some(finding) = partly.and_then(|at| findings.get_mut(at)) {
                    for (problem, found) in strength {
                        let entry = finding.strength.entry(problem).or_default();
                        *entry = entry.max(found);
                    }
                    continue;
                }
                findings.push(Finding {
                    label: shorten(line),
                    kind: FindingKind::Message,
                    positive: true,
                    leak: LEAK,
                    strength,
                    shown: true,
                    signature: FxHashMap::default(),
                    count,
                    weight: 1.0,
                    meaning: None,
                    rules_out: Vec::new(),
                    names: Vec::new(),
                });
            }
        }
        Ok((findings, summary))
    }

    /// The problems the ranked search finds for a text, with a strength that falls with rank
    /// and score, ranked as `lookup` says.
    fn searched(
        &self,
        engine: &SearchEngine,
        text: &str,
        lookup: Lookup,
    ) -> Result<Vec<(u32, f64)>> {
        let ranking = match lookup {
            Lookup::Statement => Some(statement_ranking(engine.ranking())),
            Lookup::Message => Some(message_ranking(engine.ranking())),
            Lookup::Pasted => None,
        };
        let response = engine.search(&SearchRequest {
            q: text.chars().take(900).collect(),
            limit: SEARCH_HITS,
            ids_only: true,
            ranking,
            ..SearchRequest::default()
        })?;
        let top = response.hits.first().map_or(0.0, |hit| hit.score);
        if !(top.is_finite() && top > 0.0) {
            return Ok(Vec::new());
        }
        Ok(response
            .hits
            .iter()
            .enumerate()
            .filter_map(|(rank, hit)| {
                let problem = self.problem_index(&hit.id)?;
                Some((problem, search_strength(f64::from(hit.score / top), rank)))
            })
            .collect())
    }

    /// Per problem: (log-likelihood ratio against no match, posterior probability).
    fn posterior(&self, findings: &[Finding]) -> Vec<(f64, f64)> {
        let n = self.problems.len();
        let mut log_odds = vec![0.0f64; n];
        // "None of the catalog's problems", against a problem that matches nothing.
        let mut unknown = UNKNOWN_PRIOR.ln();
        for finding in findings {
            let (baseline, unknown_step) = if finding.positive {
                (finding.leak.ln(), UNKNOWN_HIT.ln())
            } else {
                ((1.0 - finding.leak).ln(), (1.0 - UNKNOWN_HIT).ln())
            };
            unknown += finding.weight * (unknown_step - baseline);
            if let (Some(meaning), Some(mean)) = (&finding.meaning, finding.mean_meaning()) {
                for (total, &c) in log_odds.iter_mut().zip(meaning) {
                    *total += meaning_shift(c, mean);
                }
            }
            // A problem the finding does not match gains nothing: it produces it at the leak.
            for (&problem, &m) in &finding.strength {
                log_odds[problem as usize] += finding.log_odds_for(problem, m);
            }
        }
        let top = log_odds.iter().copied().fold(unknown, f64::max);
        let total: f64 =
            log_odds.iter().map(|v| (v - top).exp()).sum::<f64>() + (unknown - top).exp();
        log_odds
            .iter()
            .map(|&v| (v, (v - top).exp() / total))
            .collect()
    }

    /// What each finding adds to a problem's score, as [`Self::posterior`] adds it up.
    fn contributions(&self, problem: u32, findings: &[Finding]) -> Vec<Contribution> {
        findings
            .iter()
            .filter_map(|finding| {
                let strength = finding.strength.get(&problem).copied().unwrap_or(0.0);
                let meaning = finding
                    .meaning
                    .as_ref()
                    .zip(finding.mean_meaning())
                    .and_then(|(meaning, mean)| {
                        Some(meaning_shift(*meaning.get(problem as usize)?, mean))
                    });
                let log_odds = finding.log_odds_for(problem, strength) + meaning.unwrap_or(0.0);
                (strength > 0.0 || meaning.is_some()).then(|| Contribution {
                    finding: finding.label.clone(),
                    kind: finding.kind,
                    strength: round(strength),
                    log_odds: round(log_odds),
                    meaning: meaning.map(round),
                    rules_out: finding.rules_out.contains(&problem),
                })
            })
            .collect()
    }

    fn candidate(
        &self,
        problem: u32,
        findings: &[Finding],
        (score, probability): (f64, f64),
    ) -> Candidate {
        let entry = &self.problems[problem as usize];
        let mut candidate = Candidate {
            id: entry.id.clone(),
            title: entry.title.clone(),
            score: round(score),
            probability: round(probability),
            matched_lines: Vec::new(),
            explains: Vec::new(),
            unexplained: Vec::new(),
            contradicted: Vec::new(),
            evidence: None,
        };
        for finding in findings.iter().filter(|f| f.shown) {
            let m = finding.strength.get(&problem).copied().unwrap_or(0.0);
            if !finding.positive {
                if m >= EXPLAINS {
                    candidate.contradicted.push(finding.label.clone());
                }
                continue;
            }
            if m >= EXPLAINS {
                candidate.explains.push(finding.label.clone());
                if let Some(&key) = finding.signature.get(&problem) {
                    let evidence = &self.evidence[key];
                    candidate.matched_lines.push(MatchedLine {
                        line: finding.label.clone(),
                        signature: evidence.text.clone(),
                        source: evidence.source.clone(),
                        count: finding.count,
                    });
                }
            } else {
                candidate.unexplained.push(finding.label.clone());
            }
        }
        candidate
    }

    /// The symptoms of the leading candidates whose answer separates them best.
    fn next_checks(
        &self,
        order: &[u32],
        posterior: &[(f64, f64)],
        asked: &[super::model::WordVector],
    ) -> Vec<NextCheck> {
        // The distribution over the candidates whose symptoms are considered, renormalised:
        // a check shared by problems far down the list looks informative over the whole
        // catalog, but does not separate the problems that matter now.
        let pool: Vec<u32> = order.iter().copied().take(CHECK_CANDIDATES).collect();
        let mass: f64 = pool.iter().map(|&p| posterior[p as usize].1).sum();
        if mass <= 0.0 {
            return Vec::new();
        }
        let prior: Vec<f64> = pool
            .iter()
            .map(|&p| posterior[p as usize].1 / mass)
            .collect();
        let entropy_now = entropy(&prior);
        // One check per symptom, however its problems capitalise or space it.
        let mut seen_texts: FxHashSet<String> = FxHashSet::default();
        let mut scored: Vec<(NextCheck, Vec<f64>)> = Vec::new();
        for &candidate in order.iter().take(CHECK_CANDIDATES) {
            for &evidence in &self.by_problem[candidate as usize] {
                let symptom = &self.evidence[evidence as usize];
                let key = &self.statements[evidence as usize];
                if symptom.kind != EvidenceKind::Symptom || !seen_texts.insert(key.clone()) {
                    continue;
                }
                let vector = &self.vectors[evidence as usize];
                if asked.iter().any(|a| dot(a, vector) >= ASKED_SIMILARITY) {
                    continue;
                }
                let similar = self.best_per_problem(vector, false);
                let yes: Vec<f64> = pool
                    .iter()
                    .map(|p| {
                        let m = f64::from(similar.get(p).copied().unwrap_or(0.0));
                        let m = if self.lists_statement(*p, key) {
                            1.0
                        } else {
                            m
                        };
                        LEAK + (HIT - LEAK) * m
                    })
                    .collect();
                let gain = entropy_now - expected_entropy(&prior, &[&yes]);
                let problems = self
                    .evidence
                    .iter()
                    .zip(&self.statements)
                    .filter(|(e, statement)| e.kind == EvidenceKind::Symptom && *statement == key)
                    .map(|(e, _)| self.problems[e.problem as usize].id.clone())
                    .collect();
                scored.push((
                    NextCheck {
                        symptom: symptom.text.clone(),
                        problems,
                        gain: round(gain),
                    },
                    yes,
                ));
            }
        }
        scored.sort_by(|a, b| {
            b.0.gain
                .total_cmp(&a.0.gain)
                .then(a.0.symptom.cmp(&b.0.symptom))
        });
        // The best check first; then each next one is the check whose answer, together with
        // those of the checks already chosen, is expected to tell the most: three checks that
        // split the candidates the same way are worth one.
        let mut chosen: Vec<(NextCheck, Vec<f64>)> = Vec::new();
        while chosen.len() < NEXT_CHECKS && !scored.is_empty() {
            let mut best = 0;
            let mut best_gain = f64::NEG_INFINITY;
            for (at, (_, yes)) in scored.iter().enumerate() {
                let mut set: Vec<&[f64]> = chosen.iter().map(|(_, y)| y.as_slice()).collect();
                set.push(yes);
                let gain = entropy_now - expected_entropy(&prior, &set);
                if gain > best_gain + 1e-9 {
                    best = at;
                    best_gain = gain;
                }
            }
            chosen.push(scored.remove(best));
        }
        chosen.into_iter().map(|(check, _)| check).collect()
    }
}

/// What a text looked up with the search is, which decides how it is ranked.
#[derive(Debug, Clone, Copy)]
enum Lookup {
    /// What someone observed: ranked with [`statement_ranking`].
    Statement,
    /// The words of a log message's template: ranked with [`message_ranking`].
    Message,
    /// A log line as pasted: ranked as `catalog search` ranks it.
    Pasted,
}

/// The catalog's ranking, as statements of what someone observed are searched with. They are
/// told in the words of the symptoms, not of the titles: symptoms weigh [`STATEMENT_SYMPTOMS`]
/// times and titles [`STATEMENT_TITLE`] times as much. And a word said twice (`the orders page
/// runs one query per order`) is one word: repeated, a word every article uses outweighed the
/// rare ones. Every word of a statement counts the same toward the share of it a problem
/// covers: in a person's sentence the rarest words are as often the situation's (`an editor
/// corrected a headline`) as the mechanism's, and weighed by rarity they decided which article
/// covered the statement (the measurements are in BENCHMARKS.md). A statement that quotes a
/// program's output (`HikariPool-1 timeouts`) still counts rarity in full, as any such query.
fn statement_ranking(ranking: &crate::search::Ranking) -> crate::search::Ranking {
    let mut ranking = ranking.clone();
    ranking.symptoms *= STATEMENT_SYMPTOMS;
    ranking.reports = ranking.symptoms;
    ranking.title *= STATEMENT_TITLE;
    ranking.repeat = 0.0;
    ranking.coverage_rarity = 0.0;
    ranking
}

/// The catalog's ranking, as a log message no signature matches is searched with: its
/// words are a program's, where a rare word (`mysqldump`, `EMFILE`) names the problem, so
/// every word counts toward coverage by its rarity, even when what is left of the message
/// once its values are taken out reads like a sentence.
fn message_ranking(ranking: &crate::search::Ranking) -> crate::search::Ranking {
    crate::search::Ranking {
        coverage_rarity: 1.0,
        ..ranking.clone()
    }
}

/// How strongly a search hit matches: its score's share of the top hit's (`relative`),
/// sharpened by [`SEARCH_SHARPNESS`], and a little less for each rank below the first.
fn search_strength(relative: f64, rank: usize) -> f64 {
    SEARCH_STRENGTH * relative.powi(SEARCH_SHARPNESS) / (1.0 + 0.15 * rank as f64)
}

/// A statement as a search query: counts and figures say nothing of which problem it is, yet
/// articles are full of their own (`30 s`, `100 units`, `under 10%`), so `4% CPU` found
/// whatever article says `4` and `9 seconds` whatever says `9`. Number words (`one replica`,
/// `two jobs`) go for the same reason: titles use them (`One Key Overloads Its Replicas`),
/// where a rare word weighs most. Left out: a count in words, a number in digits with or
/// without a unit stuck to it (`8`, `1,163`, `2.5`, `300ms`, `15MB`, `30s`) and `percent`.
/// Kept: a ratio (`four times normal`, `10x`), a magnitude (`hundreds of tiny queries`), and a
/// code (an HTTP status `429` or `503`, `exit code 137`), which names what happened.
fn statement_query(statement: &str) -> String {
    let words: Vec<&str> = statement.split_whitespace().collect();
    let bare = |word: &str| {
        word.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    words
        .iter()
        .enumerate()
        .filter(|&(at, word)| {
            let word = bare(word);
            let ratio = words.get(at + 1).is_some_and(|next| bare(next) == "times");
            let code = at
                .checked_sub(1)
                .and_then(|before| words.get(before))
                .is_some_and(|before| CODE_WORDS.contains(&bare(before).as_str()));
            let count = super::model::NUMBER_WORDS.contains(&word.as_str())
                || (is_figure(&word) && !is_status_code(&word) && !code)
                || word == "percent";
            !count || ratio
        })
        .map(|(_, word)| *word)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words after which a number is a code, not a count (`exit code 137`, `errno 28`).
const CODE_WORDS: &[&str] = &["code", "status", "errno", "error", "http"];

/// Units a figure is written with, stuck to it (`300ms`, `15MB`).
const FIGURE_UNITS: &[&str] = &[
    "ms", "s", "sec", "secs", "m", "min", "mins", "h", "hr", "hrs", "d", "k", "kb", "mb", "gb",
    "tb", "b",
];

/// A number in digits (`8`, `1,163`, `2.5`), with or without a unit stuck to it (`300ms`).
fn is_figure(word: &str) -> bool {
    let digits = word
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(word.len());
    let (number, unit) = word.split_at(digits);
    number.starts_with(|c: char| c.is_ascii_digit())
        && (unit.is_empty() || FIGURE_UNITS.contains(&unit))
}

/// An HTTP status a client or server reports (`429`, `503`): a code, not a count.
fn is_status_code(word: &str) -> bool {
    word.len() == 3
        && word
            .parse::<u16>()
            .is_ok_and(|code| (400..600).contains(&code))
}

/// The words a message no signature matches is looked up with: those of its template, the
/// parts of its identifiers (`ProvisionedThroughputExceededException` is also `provisioned
/// throughput exceeded`, as prose writes it), `bytes` when it held a size, and, when the
/// template keeps fewer than three words, those of its quoted values
/// (`{"message":"Session ID unknown"}`).
fn search_query(template: &Template, line: &str) -> String {
    let mut words: Vec<String> = template
        .words()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .map(str::to_string)
        .collect();
    let raw: Vec<&str> = line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().all(char::is_alphabetic))
        .collect();
    for word in &raw {
        let parts = identifier_parts(word);
        if parts.len() > 1 {
            // `Exception` and `Error` end most class names and tell nothing apart.
            words.extend(
                parts
                    .into_iter()
                    .filter(|part| !matches!(part.as_str(), "exception" | "error")),
            );
        }
    }
    if template.words().count() < 3 {
        words.extend(raw.iter().map(|w| w.to_lowercase()));
    }
    words.extend(status_codes(line));
    // `Read timed out` is a `timeout`, as prose names it; alone, `timed` finds `real-time`.
    if raw.windows(2).any(|pair| {
        ["time", "timed", "times"]
            .iter()
            .any(|verb| pair[0].eq_ignore_ascii_case(verb))
            && pair[1].eq_ignore_ascii_case("out")
    }) {
        words.push("timeout".to_string());
    }
    // `Time-out` is also `timeout`, as prose writes it; split, `time` finds `real-time`.
    for chunk in line.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        let chunk = chunk.trim_matches('-');
        if let Some((left, right)) = chunk.split_once('-')
            && !left.is_empty()
            && !right.is_empty()
            && chunk.chars().all(|c| c.is_alphabetic() || c == '-')
            && !right.contains('-')
        {
            words.push(format!("{left}{right}").to_lowercase());
        }
    }
    // An error code by its C name (`spawn ENOMEM`, `accept EMFILE`) says what the system's own
    // message says in words, and the articles use the words.
    for word in &raw {
        if let Some(text) = errno_text(word) {
            words.extend(text.split(' ').map(str::to_string));
        }
    }
    // A size the normaliser replaced (`262144 bytes`, `16MB`) still says the line is about an
    // amount of data, which the articles that quote such limits write as bytes.
    if template.0.contains(&Token::Var(Placeholder::Size)) {
        words.push("bytes".to_string());
    }
    let mut seen = FxHashSet::default();
    words.retain(|w| seen.insert(w.clone()));
    words.join(" ")
}

/// The HTTP error statuses a line reports (`504 Gateway Time-out`, `HTTP/1.1" 499`, a
/// browser console's `GET https://… 504`): the normaliser replaces numbers, but these say
/// which failure it is, and the articles quote them. A number counts as a status when it
/// stands alone between 400 and 599, and not as a part of an address, a version or a time
/// (`10.0.4.503`, `12:504`), before a unit (`503 ms`, `404 rows`) or right after another
/// number (an access log's `200 512` is a status and a size).
fn status_codes(line: &str) -> Vec<String> {
    const UNITS: &[&str] = &[
        "ms", "s", "sec", "secs", "second", "seconds", "us", "ns", "min", "minutes", "b", "bytes",
        "kb", "mb", "gb", "kib", "mib", "gib", "rows", "records", "items", "times", "x", "%",
    ];
    // Digits are found as bytes (a status is ASCII); what touches them is read as characters.
    let bytes = line.as_bytes();
    // What touches a number joins it to an address, version, time or name; a `.` or `:`
    // does so only with more of it beyond (`12:504`, `v1.404`), not as punctuation
    // (`522: Connection timed out`, `status 503.`).
    let joins = |touching: Option<char>, beyond: Option<char>| match touching {
        Some('.' | ':') => beyond.is_some_and(char::is_alphanumeric),
        Some(c) => c.is_alphanumeric() || matches!(c, '_' | '-' | '/'),
        None => false,
    };
    let mut out: Vec<String> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if !bytes[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_digit() {
            at += 1;
        }
        let (mut back, mut ahead) = (line[..start].chars().rev(), line[at..].chars());
        if at - start != 3 || joins(back.next(), back.next()) || joins(ahead.next(), ahead.next()) {
            continue;
        }
        let number = &line[start..at];
        if !matches!(number.as_bytes()[0], b'4' | b'5') {
            continue;
        }
        // `200 512` in an access log: a number right after another is a size or a count.
        let before = line[..start].trim_end();
        let previous = before.rsplit(char::is_whitespace).next().unwrap_or("");
        if !previous.is_empty() && previous.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let after = line[at..].trim_start();
        let next_end = after
            .find(|c: char| !(c.is_alphanumeric() || c == '%'))
            .unwrap_or(after.len());
        let next = &after[..next_end];
        if !UNITS.iter().any(|unit| unit.eq_ignore_ascii_case(next))
            && !out.iter().any(|code| code == number)
        {
            out.push(number.to_string());
        }
    }
    out
}

/// A status that says the request failed on the server's side or was refused for its load or
/// size (`5xx`, `408`, `413`, `429`, nginx's `499`), and not a client's own mistake (`404`).
fn is_failure_status(code: &str) -> bool {
    code.starts_with('5') || matches!(code, "408" | "413" | "429" | "499")
}

/// What the C library says for an error code a runtime prints by name (Node's `Error: spawn
/// ENOMEM`, Go's `syscall.EMFILE`), for the codes that tell of resources running out or
/// connections failing.
fn errno_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "EMFILE" => "too many open files",
        "ENFILE" => "too many open files in system",
        "ENOSPC" => "no space left on device",
        "EDQUOT" => "disk quota exceeded",
        "ENOMEM" => "cannot allocate memory",
        "EAGAIN" => "resource temporarily unavailable",
        "ETIMEDOUT" => "connection timed out",
        "ECONNREFUSED" => "connection refused",
        "ECONNRESET" => "connection reset by peer",
        "ECONNABORTED" => "software caused connection abort",
        "EPIPE" => "broken pipe",
        "EADDRINUSE" => "address already in use",
        "EADDRNOTAVAIL" => "cannot assign requested address",
        "EHOSTUNREACH" => "no route to host",
        "ENETUNREACH" => "network is unreachable",
        _ => return None,
    })
}

/// The lower-cased parts of a camel-case identifier (`MaxRequestWorkers` → max, request,
/// workers); a word that is not one is a single part.
fn identifier_parts(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..chars.len() {
        let upper = chars[i].is_uppercase();
        let after_lower = chars[i - 1].is_lowercase();
        // `HTTPServer`: the last capital of a run starts the next part.
        let ends_run =
            chars[i - 1].is_uppercase() && chars.get(i + 1).is_some_and(|c| c.is_lowercase());
        if upper && (after_lower || ends_run) {
            parts.push(chars[start..i].iter().collect::<String>().to_lowercase());
            start = i;
        }
    }
    parts.push(chars[start..].iter().collect::<String>().to_lowercase());
    parts
}

/// Words that speak of all of something.
const WHOLE: &[&str] = &[
    "whole",
    "entire",
    "all",
    "every",
    "everything",
    "everyone",
    "overall",
];
/// Words that speak of a part of it.
const PART: &[&str] = &["one", "single", "few", "only", "some"];

/// Words that only label what follows them as observed (`Observed: …`, `What we saw: …`).
const OBSERVED_LABEL: &[&str] = &[
    "also",
    "finding",
    "findings",
    "i",
    "note",
    "noted",
    "notes",
    "noticed",
    "observation",
    "observations",
    "observed",
    "saw",
    "seen",
    "symptom",
    "symptoms",
    "update",
    "we",
    "what",
];

/// An observed statement without a label before a colon that only says it was observed.
fn without_label(statement: &str) -> &str {
    after_label(statement, OBSERVED_LABEL).unwrap_or(statement)
}

/// Whether `word`, without the punctuation around it, is one of `words` (any case).
fn is_one_of(word: &str, words: &[&str]) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    words.iter().any(|w| word.eq_ignore_ascii_case(w))
}

/// What follows a label before a colon, when every word of the label is one of `words`
/// (`ruled out: …`, `What we saw: …`) and something follows it.
fn after_label<'a>(text: &'a str, words: &[&str]) -> Option<&'a str> {
    let (label, rest) = text.split_once(": ")?;
    let rest = rest.trim_start();
    let mut label = label.split_whitespace().peekable();
    (label.peek().is_some() && !rest.is_empty() && label.all(|word| is_one_of(word, words)))
        .then_some(rest)
}

/// Words after which a full stop ends no sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "eg", "i.e", "ie", "vs", "etc", "approx", "incl", "mr", "ms", "dr", "st", "no", "cf",
];

/// A statement's sentences and clauses: cut after a full stop, `!`, `?` or `;` followed by a
/// space, and at line breaks, where the sentence so far has at least two words (`p99 is 2 s.
/// CPU is flat.` is two; `v2. Then it broke` and `e.g. a sale` are one); and after a comma
/// with at least three words on either side (`the pool is full, requests queue behind it`),
/// as people run what they saw together. A tail of fewer than two words stays with the
/// sentence before it.
pub(crate) fn sentences(statement: &str) -> Vec<&str> {
    let mut parts: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for (at, c) in statement.char_indices() {
        let after = &statement[at + c.len_utf8()..];
        let spaced = after.starts_with(char::is_whitespace);
        let ends = match c {
            '\n' | '\r' => true,
            '!' | '?' | ';' => spaced,
            '.' => {
                let word = statement[start..at]
                    .rsplit(char::is_whitespace)
                    .next()
                    .unwrap_or_default();
                spaced && !ABBREVIATIONS.iter().any(|a| word.eq_ignore_ascii_case(a))
            }
            _ => false,
        };
        // A comma between clauses of three words or more.
        let comma = c == ','
            && spaced
            && statement[start..at].split_whitespace().count() >= 3
            && after.split_whitespace().count() >= 3;
        if (ends && statement[start..at].split_whitespace().count() >= 2) || comma {
            parts.push((start, at));
            start = at + c.len_utf8();
        }
    }
    match parts.last_mut() {
        Some(last) if statement[start..].split_whitespace().count() < 2 => {
            last.1 = statement.len();
        }
        _ => parts.push((start, statement.len())),
    }
    parts
        .into_iter()
        .map(|(from, to)| statement[from..to].trim())
        .filter(|part| !part.is_empty())
        .collect()
}

/// Words that only announce what follows them as ruled out (`ruled out: …`, `checked: …`).
const LEAD_IN: &[&str] = &[
    "already",
    "checked",
    "cause",
    "dismissed",
    "eliminated",
    "excluded",
    "hypothesis",
    "it",
    "no",
    "not",
    "out",
    "rejected",
    "rule",
    "ruled",
    "the",
    "tested",
    "verified",
];

/// Of those, the ones that announce it with no colon after them (`ruled out a deploy because
/// …`, `not the network since …`).
const BARE_LEAD_IN: &[&str] = &[
    "we",
    "i",
    "also",
    "already",
    "checked",
    "eliminated",
    "excluded",
    "not",
    "out",
    "ruled",
    "tested",
    "verified",
];

/// What ends a ruled-out hypothesis, and how many words must come before it.
const HYPOTHESIS_ENDS: &[(&str, usize)] = &[
    (",", 2),
    (": ", 2),
    ("; ", 2),
    (". ", 2),
    ("? ", 1),
    (" - ", 2),
    (" \u{2013} ", 2),
    (" \u{2014} ", 2),
    (" (", 2),
    (" because ", 1),
    (" since ", 2),
];

/// A ruled-out statement's hypothesis: the words before the first mark that ends it (a comma,
/// a colon, the end of a sentence, a dash, an opening bracket, `because`), when there are at
/// least two of them (`the database refusing connections, it has plenty free`, `a slow disk:
/// latency is normal`, `a deploy because none went out`). After a lead-in such as `ruled
/// out:` or `not` (which is not the hypothesis but announces it), one is enough (`not: cpu, it
/// is low`), and `and` ends it too (`we checked the replica and it is current`).
fn hypothesis(statement: &str) -> &str {
    let mut text = after_label(statement, LEAD_IN).unwrap_or(statement);
    loop {
        let trimmed = text.trim_start();
        match trimmed.split_once(char::is_whitespace) {
            Some((word, rest)) if is_one_of(word, BARE_LEAD_IN) && !rest.trim().is_empty() => {
                text = rest;
            }
            _ => break,
        }
    }
    let text = text.trim_start();
    let stripped = text.len() < statement.len();
    let end = HYPOTHESIS_ENDS
        .iter()
        .filter_map(|&(mark, fewest)| {
            let at = text.find(mark)?;
            let fewest = if stripped { 1 } else { fewest };
            (text[..at].split_whitespace().count() >= fewest).then_some(at)
        })
        .min()
        // After a lead-in, `and` ends it too (`we checked the replica and it is current`).
        .or_else(|| {
            let at = text.find(" and ").filter(|_| stripped)?;
            (text[..at].split_whitespace().count() >= 2).then_some(at)
        });
    match end {
        Some(at) => &text[..at],
        None if stripped => text,
        None => statement,
    }
}

/// Whether `text` uses one of `words` as a word.
fn speaks_of(text: &str, words: &[&str]) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|word| words.iter().any(|w| word.eq_ignore_ascii_case(w)))
}

/// A statement compared without case, punctuation or spacing differences.
pub(crate) fn same_statement(text: &str) -> String {
    crate::search::fold_compatibility(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The dot product of two sparse vectors sorted by word id.
pub(crate) fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// The entropy left, on average, once every check of `checks` is answered: each check gives,
/// per candidate, the probability of a yes.
fn expected_entropy(prior: &[f64], checks: &[&[f64]]) -> f64 {
    let mut left = 0.0;
    for outcome in 0..1usize << checks.len() {
        let weights: Vec<f64> = prior
            .iter()
            .enumerate()
            .map(|(candidate, p)| {
                checks.iter().enumerate().fold(*p, |w, (at, yes)| {
                    if outcome >> at & 1 == 1 {
                        w * yes[candidate]
                    } else {
                        w * (1.0 - yes[candidate])
                    }
                })
            })
            .collect();
        let total: f64 = weights.iter().sum();
        if total > 0.0 {
            let after: Vec<f64> = weights.iter().map(|w| w / total).collect();
            left += total * entropy(&after);
        }
    }
    left
}

fn entropy(distribution: &[f64]) -> f64 {
    distribution
        .iter()
        .filter(|p| **p > 0.0)
        .map(|p| -p * p.log2())
        .sum()
}

fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// A line as shown back: trimmed to 300 characters.
fn shorten(line: &str) -> String {
    match line.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(line: &str) -> String {
        search_query(&normalize_line(line), line)
    }

    #[test]
    fn an_observation_of_several_sentences_is_several_findings() {
        assert_eq!(
            sentences("p99 is 2 s. CPU is flat! Is it the pool? The pool is full; so it waits"),
            [
                "p99 is 2 s",
                "CPU is flat",
                "Is it the pool",
                "The pool is full",
                "so it waits"
            ]
        );
        assert_eq!(
            sentences("the fares service slowed\nthen the booking API ran out of workers."),
            [
                "the fares service slowed",
                "then the booking API ran out of workers."
            ]
        );
        // A short piece is no sentence; abbreviations, versions and decimals end none.
        assert_eq!(sentences("v2. Then it broke"), ["v2. Then it broke"]);
        assert_eq!(
            sentences("a peak, e.g. a sale at 1.5 times the load"),
            ["a peak, e.g. a sale at 1.5 times the load"]
        );
        assert_eq!(sentences("it broke. Again."), ["it broke. Again."]);
        assert_eq!(
            sentences("the api got slow, db cpu stayed low, pool maxed"),
            ["the api got slow", "db cpu stayed low, pool maxed"]
        );
        assert_eq!(sentences("  "), Vec::<&str>::new());
    }

    #[test]
    fn a_label_that_only_says_observed_is_not_a_finding() {
        assert_eq!(without_label("Observed: p99 doubled"), "p99 doubled");
        assert_eq!(without_label("What we saw: p99 doubled"), "p99 doubled");
        assert_eq!(without_label("noted: p99 doubled"), "p99 doubled");
        // A word that says something stays.
        assert_eq!(
            without_label("Kafka: consumer lag grows"),
            "Kafka: consumer lag grows"
        );
        assert_eq!(
            without_label("ERROR: deadlock detected"),
            "ERROR: deadlock detected"
        );
    }

    #[test]
    fn a_hypothesis_ends_at_the_first_mark_after_it() {
        let cases = [
            (
                "the database refusing connections, it has plenty free",
                "the database refusing connections",
            ),
            (
                "A lock wait timeout from one long query: the error names a deadlock",
                "A lock wait timeout from one long query",
            ),
            // One word before a colon is a log line's (`java.lang.OutOfMemoryError: Java
            // heap space`, `ERROR: deadlock detected`) as often as a hypothesis.
            (
                "Bandwidth: links are at 20 %",
                "Bandwidth: links are at 20 %",
            ),
            (
                "java.lang.OutOfMemoryError: Java heap space",
                "java.lang.OutOfMemoryError: Java heap space",
            ),
            ("a slow disk - latency is normal", "a slow disk"),
            ("a deploy (none went out that day)", "a deploy"),
            // A lead-in announces the hypothesis; it is not one.
            (
                "ruled out: a replica lagging, both sides took writes",
                "a replica lagging",
            ),
            ("checked: more visitors", "more visitors"),
            (
                "Hypothesis rejected: partner still down; their status page is green",
                "partner still down",
            ),
            ("not: cpu, it is low", "cpu"),
            (
                "ruled out a replica lagging because both sides took writes",
                "a replica lagging",
            ),
            ("not a deploy since none went out", "a deploy"),
            (
                "A traffic spike. Requests per day are flat.",
                "A traffic spike",
            ),
            ("a bot? No, every request is ours", "a bot"),
            (
                "we checked the replica lag and it is under a second",
                "the replica lag",
            ),
            // One word before a comma is not a hypothesis; a time is not a colon.
            ("No, it is not the network", "No, it is not the network"),
            (
                "restarted at 07:00 and it came back",
                "restarted at 07:00 and it came back",
            ),
        ];
        for (statement, expected) in cases {
            assert_eq!(hypothesis(statement), expected, "{statement}");
        }
    }

    #[test]
    fn a_hit_with_half_the_top_score_counts_a_quarter_as_much() {
        let top = search_strength(1.0, 0);
        assert!((top - SEARCH_STRENGTH).abs() < 1e-12);
        let half = search_strength(0.5, 0);
        assert!((half / top - 0.25).abs() < 1e-12, "{half} against {top}");
        // Rank still counts: the same share further down counts for less.
        assert!(search_strength(0.5, 3) < half);
    }

    #[test]
    fn counts_are_not_searched_but_ratios_are() {
        assert_eq!(
            statement_query("One replica went down, then two more"),
            "replica went down, then more"
        );
        assert_eq!(
            statement_query("16 instances run the whole year under 4% CPU"),
            "instances run the whole year under CPU"
        );
        assert_eq!(
            statement_query("1,163 accepted in 300ms; CPU at 100 percent, p99 2.5 s"),
            "accepted in CPU at p99 s"
        );
        assert_eq!(
            statement_query("the CDN returns 429 and pods exit with code 137, 10x the load"),
            "the CDN returns 429 and pods exit with code 137, 10x the load"
        );
        assert_eq!(
            statement_query("traffic was four times normal"),
            "traffic was four times normal"
        );
        assert_eq!(
            statement_query("the page runs hundreds of tiny queries"),
            "the page runs hundreds of tiny queries"
        );
    }

    #[test]
    fn a_size_is_searched_as_bytes() {
        let words = query("Reason: Message must be shorter than 262144 bytes.");
        assert!(words.ends_with(" bytes"), "{words}");
        assert!(!words.contains("262144"), "{words}");
        assert!(
            query("HTTP 503 after 30000ms")
                .split(' ')
                .all(|w| w != "bytes")
        );
    }

    #[test]
    fn an_error_code_is_also_searched_in_words() {
        let words = query("Error: spawn ENOMEM");
        assert!(words.ends_with("cannot allocate memory"), "{words}");
        assert!(query("Error: write ENOSPC").contains("no space left on device"));
        // Only whole codes: a word that merely contains one is left alone.
        assert!(!query("ENOMEMORY here").contains("allocate"));
    }

    #[test]
    fn identifiers_are_also_searched_in_parts() {
        assert_eq!(
            identifier_parts("ProvisionedThroughputExceededException"),
            ["provisioned", "throughput", "exceeded", "exception"]
        );
        assert_eq!(identifier_parts("HTTPServer"), ["http", "server"]);
        assert_eq!(identifier_parts("timeout"), ["timeout"]);
        let words = query("AH00161: server reached MaxRequestWorkers setting");
        assert!(words.contains("maxrequestworkers"), "{words}");
        assert!(words.contains("max request workers"), "{words}");
        // `Exception` ends most class names and is not looked up for them.
        let words = query("RejectedExecutionException");
        assert_eq!(
            words, "rejectedexecutionexception rejected execution",
            "{words}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Any text, digits and spaces of any script included, builds a query without a panic.
        #[test]
        fn any_line_builds_a_query(text in "[0-9 \u{a0}\u{3000}a-zé/.:=\"-]{0,40}|\\PC{0,80}") {
            let statuses = status_codes(&text);
            proptest::prop_assert!(statuses.iter().all(|code| code.len() == 3));
            let _ = search_query(&normalize_line(&text), &text);
        }
    }

    #[test]
    fn http_statuses_and_hyphenated_words_are_searched() {
        let words = query("504 Gateway Time-out");
        assert!(words.split(' ').any(|w| w == "504"), "{words}");
        assert!(words.split(' ').any(|w| w == "timeout"), "{words}");
        assert_eq!(status_codes(r#""GET /api HTTP/1.1" 503 UC"#), ["503"]);
        assert_eq!(status_codes("status=429 retry"), ["429"]);
        assert_eq!(status_codes("<h1>504 Gateway Time-out</h1>"), ["504"]);
        assert_eq!(
            status_codes("GET https://x.example/get?count=50 504"),
            ["504"]
        );
        // A count, a duration, an address, a version or a success is not a status.
        assert!(status_codes("processed 503 rows in 404 ms").is_empty());
        assert_eq!(
            status_codes(r#"HTTP/1.1" 200 512 "-""#),
            Vec::<String>::new()
        );
        assert_eq!(status_codes(r#"HTTP/1.1" 504 512 "-""#), ["504"]);
        assert!(status_codes("HTTP 200 OK from 10.0.4.503:8080 v1.404").is_empty());
        assert!(status_codes("at 12:504 and 10.504.1").is_empty());
        // A colon or a full stop after a status is punctuation.
        assert_eq!(
            status_codes("<title>example.com | 522: Connection timed out</title>"),
            ["522"]
        );
        assert_eq!(status_codes("the gateway answered 502."), ["502"]);
        // Spaces outside ASCII (no-break, ideographic) before a status.
        assert_eq!(status_codes("GET /x\u{a0}\u{3000}503 Service"), ["503"]);
        assert!(status_codes("200\u{3000}503").is_empty());
        assert!(query("<h1>504 Gateway Time-out</h1>").contains("timeout"));
    }

    #[test]
    fn lines_matching_one_signature_are_counted_together() {
        let line = |line: &str, signature: &str, count| MatchedLine {
            line: line.to_string(),
            signature: signature.to_string(),
            source: None,
            count,
        };
        let candidate = Candidate {
            id: "performance/connection-pool-starvation".into(),
            title: "Pool".into(),
            score: 1.0,
            probability: 1.0,
            matched_lines: vec![
                line(
                    "ERROR ... HikariPool-1 - Connection is not available",
                    "pool",
                    2,
                ),
                line(
                    "Caused by: HikariPool-1 - Connection is not available",
                    "pool",
                    1,
                ),
                line("Apparent connection leak detected", "leak", 1),
            ],
            explains: Vec::new(),
            unexplained: Vec::new(),
            contradicted: Vec::new(),
            evidence: None,
        };
        assert_eq!(candidate.matched_signatures(), [("pool", 3), ("leak", 1)]);
    }

    #[test]
    fn a_ruled_out_statement_rules_out_only_the_problem_it_clearly_describes() {
        let strength = |pairs: &[(u32, f64)]| pairs.iter().copied().collect::<FxHashMap<_, _>>();
        // `the pool has free connections`: pool starvation by a margin.
        assert_eq!(clearly_described(&strength(&[(1, 0.67), (2, 0.38)])), [1]);
        // About two problems alike (`the message was processed twice`): neither is clear.
        assert!(clearly_described(&strength(&[(1, 0.68), (2, 0.64)])).is_empty());
        // A weak best match is no description of any problem.
        assert!(clearly_described(&strength(&[(1, 0.37), (2, 0.1)])).is_empty());
        // Two problems listing the same symptom are both described.
        assert_eq!(
            clearly_described(&strength(&[(3, 0.8), (1, 0.8), (2, 0.3)])),
            [1, 3]
        );
        assert!(clearly_described(&strength(&[])).is_empty());

        let finding = Finding {
            label: "the pool has free connections".to_string(),
            kind: FindingKind::RuledOut,
            positive: false,
            leak: LEAK,
            strength: strength(&[(1, 0.67), (2, 0.38)]),
            shown: true,
            signature: FxHashMap::default(),
            count: 1,
            weight: 1.0,
            meaning: None,
            rules_out: vec![1],
            names: Vec::new(),
        };
        // The described problem falls by far more than the one sharing a few words.
        assert!(finding.log_odds_for(1, 0.67) < -6.0);
        assert!(finding.log_odds_for(2, 0.38) > -1.0);
    }

    #[test]
    fn checks_that_cannot_reorder_leave_the_ranking_settled() {
        let check = |gain| NextCheck {
            symptom: "s".into(),
            problems: Vec::new(),
            gain,
        };
        let response = |checks| TriageResponse {
            candidates: Vec::new(),
            next_checks: checks,
            lines: LinesSummary::default(),
            took_ms: 0.0,
        };
        assert!(response(vec![check(0.0), check(0.004)]).is_settled());
        assert!(!response(vec![check(0.0), check(0.2)]).is_settled());
    }

    #[test]
    fn a_phrase_that_times_out_is_searched_as_a_timeout() {
        let has_timeout = |line: &str| query(line).split(' ').any(|w| w == "timeout");
        assert!(has_timeout(
            "HTTPConnectionPool(host='x', port=80): Read timed out."
        ));
        assert!(has_timeout("the request TIMES OUT after 30 s"));
        assert!(!has_timeout("took more time than out-of-band checks allow"));
        assert!(!has_timeout(
            "timed run finished; out of 3 retries, none failed"
        ));
    }

    #[test]
    fn a_message_in_quotes_is_searched_when_little_else_is_left() {
        let words = query(r#"{"code":1,"message":"Session ID unknown"}"#);
        assert!(words.contains("session id unknown"), "{words}");
        // A line with words of its own keeps its quoted values out of the search.
        let words = query(r#"ERROR: relation "users" does not exist"#);
        assert!(!words.contains("users"), "{words}");
    }
}
