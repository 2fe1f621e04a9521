//! On-call triage: from a pasted log and a few observations to the known problems that
//! explain them, the next questions worth asking, and the causal chains between problems.
//!
//! - [`normalize`]: log lines to templates (variable parts as placeholders).
//! - [`signatures`]: templates matched against every problem's signatures.
//! - [`TriageModel`]: the catalog's symptoms, signatures and causal edges, prepared once per
//!   generation; [`TriageModel::triage`] ranks problems, [`TriageModel::chain`] follows edges.
//!
//! - [`meaning`]: what a statement means beyond its words, to tell apart the symptoms it
//!   shares words with.
//!
//! Free text that no signature matches goes to the ranked search ([`crate::search`]); there is
//! no second text-matching engine.

mod chain;
mod diagnose;
mod meaning;
mod model;
pub mod normalize;
pub mod signatures;

pub use chain::{Chain, ChainStep, Direction, MAX_DEPTH};
pub use diagnose::{
    Candidate, Contribution, FindingKind, HIT, LEAK, LinesSummary, MAX_INPUT_BYTES, MAX_STATEMENTS,
    MatchedLine, NextCheck, TriageInputError, TriageRequest, TriageResponse,
};
pub use model::{Evidence, EvidenceKind, ModelParts, ProblemEntry, TriageModel};
