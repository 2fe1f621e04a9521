//! One pass over the units a query matches, kept per problem: whether the problem matches, its
//! two best unit scores (a problem's score is built from them), and each unit's score so that
//! the sections of the page's problems need no second query.
//!
//! Dense arrays indexed by problem ordinal and doc id replace the list of every matching unit
//! and its grouping in a hash map, which cost more than the query at 10,000 problems.

use tantivy::query::Weight;
use tantivy::{DocAddress, Score, Searcher};

use super::units::{NO_PROBLEM, UnitMap};

/// Marks "no unit" in the score arrays (real scores are never negative infinity).
const NONE: Score = Score::NEG_INFINITY;

/// What one query matched.
#[derive(Debug)]
pub struct ProblemScores {
    /// Per problem: its best unit score, or `NEG_INFINITY` when no unit matched.
    best: Vec<Score>,
    /// Per problem: its second-best unit score, or `NEG_INFINITY`.
    second: Vec<Score>,
    /// Per segment and doc: the unit's score, or `NEG_INFINITY` when it did not match.
    units: Vec<Vec<Score>>,
}

impl ProblemScores {
    /// Runs `weight` over every segment. Without `scoring`, matching units all score 0 (what
    /// matters is which problems match).
    pub fn collect(
        weight: &dyn Weight,
        searcher: &Searcher,
        map: &UnitMap,
        problems: usize,
        scoring: bool,
    ) -> tantivy::Result<ProblemScores> {
        let mut scores = ProblemScores {
            best: vec![NONE; problems],
            second: vec![NONE; problems],
            units: Vec::new(),
        };
        for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
            let problem_of = map.segment(ordinal);
            let mut units = vec![NONE; reader.max_doc() as usize];
            let best = &mut scores.best;
            let second = &mut scores.second;
            let mut record = |doc: u32, score: Score| {
                let problem = problem_of[doc as usize];
                if problem == NO_PROBLEM {
                    // Deleted, or a problem the database does not know.
                    return;
                }
                units[doc as usize] = score;
                let problem = problem as usize;
                if score > best[problem] {
                    second[problem] = best[problem];
                    best[problem] = score;
                } else if score > second[problem] {
                    second[problem] = score;
                }
            };
            if scoring {
                weight.for_each(reader, &mut record)?;
            } else {
                weight.for_each_no_score(reader, &mut |docs| {
                    for doc in docs {
                        record(*doc, 0.0);
                    }
                })?;
            }
            scores.units.push(units);
        }
        Ok(scores)
    }

    /// Whether some unit of the problem matched.
    pub fn matched(&self, problem: usize) -> bool {
        self.best[problem] != NONE
    }

    /// The problem's score: its best unit, plus `second_weight` times its second best.
    pub fn score(&self, problem: usize, second_weight: Score) -> Score {
        let second = self.second[problem];
        self.best[problem]
            + if second == NONE {
                0.0
            } else {
                second * second_weight
            }
    }

    /// The matching units of a problem with their scores, best first; equal scores keep doc
    /// order.
    pub fn units_of(&self, map: &UnitMap, problem: usize) -> Vec<(DocAddress, Score)> {
        let mut units: Vec<(DocAddress, Score)> = map
            .units_of(problem)
            .iter()
            .filter_map(|address| {
                let score = self.units[address.segment_ord as usize][address.doc_id as usize];
                (score != NONE).then_some((*address, score))
            })
            .collect();
        units.sort_by(|a, b| b.1.total_cmp(&a.1));
        units
    }
}
