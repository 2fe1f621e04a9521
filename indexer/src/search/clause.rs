//! A built query as plain data: clauses, each a sum of groups, each group a disjunction max
//! over leaves (one field's term, typo or prefix match, or phrase).
//!
//! Tantivy reads it as a `BooleanQuery` (see [`Clause::query`]), which explanations and
//! snippets use; the evaluator (`evaluator.rs`) walks the same structure leaf by leaf and
//! reproduces Tantivy's arithmetic, so both give a unit the same score to the last bit.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;

/// What a leaf matches, and how a match scores.
#[derive(Debug, Clone)]
pub enum LeafKind {
    /// The BM25 score of a term.
    Term(Term),
    /// A constant where the term occurs: the typo bonus of a word the index holds.
    Present(Term),
    /// A constant where a term within `distance` edits occurs.
    Fuzzy {
        /// The word as typed.
        term: Term,
        /// Edits allowed (a transposition counts as one).
        distance: u8,
    },
    /// A constant where a term starting with the text occurs.
    Prefix(Term),
    /// The BM25 score of a phrase.
    Phrase(Vec<Term>),
}

/// One alternative of a group: what it matches, and its weight there (a field's boost for
/// BM25 leaves, the constant itself for the others).
#[derive(Debug, Clone)]
pub struct Leaf {
    /// What it matches.
    pub kind: LeafKind,
    /// Its weight.
    pub weight: f32,
}

/// Alternatives of which the best counts, plus `tie` times the others.
#[derive(Debug, Clone)]
pub struct Group {
    /// The alternatives, in the order Tantivy combines them.
    pub leaves: Vec<Leaf>,
    /// Weight of the alternatives other than the best.
    pub tie: f32,
}

/// A word, phrase or synonym of the query: the sum of its groups, times `boost`.
#[derive(Debug, Clone)]
pub struct Clause {
    /// The groups, in the order Tantivy sums them.
    pub groups: Vec<Group>,
    /// Weight of the clause.
    pub boost: f32,
}

impl Leaf {
    /// The score of a constant leaf in a clause of boost `boost`, computed as Tantivy's
    /// `ConstScorer` computes it.
    pub fn constant(&self, boost: f32) -> f32 {
        boost * self.weight
    }

    fn query(&self) -> Box<dyn Query> {
        match &self.kind {
            LeafKind::Term(term) => Box::new(BoostQuery::new(
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                self.weight,
            )),
            LeafKind::Present(term) => Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                self.weight,
            )),
            LeafKind::Fuzzy { term, distance } => Box::new(ConstScoreQuery::new(
                Box::new(FuzzyTermQuery::new(term.clone(), *distance, true)),
                self.weight,
            )),
            LeafKind::Prefix(term) => Box::new(BoostQuery::new(
                Box::new(FuzzyTermQuery::new_prefix(term.clone(), 0, true)),
                self.weight,
            )),
            LeafKind::Phrase(terms) => Box::new(BoostQuery::new(
                Box::new(PhraseQuery::new(terms.clone())),
                self.weight,
            )),
        }
    }
}

impl Group {
    fn query(&self) -> Box<dyn Query> {
        Box::new(DisjunctionMaxQuery::with_tie_breaker(
            self.leaves.iter().map(Leaf::query).collect(),
            self.tie,
        ))
    }
}

impl Clause {
    /// The clause as a Tantivy query.
    pub fn query(&self) -> Box<dyn Query> {
        let groups = self
            .groups
            .iter()
            .map(|group| (Occur::Should, group.query()))
            .collect();
        Box::new(BoostQuery::new(
            Box::new(BooleanQuery::new(groups)),
            self.boost,
        ))
    }
}
