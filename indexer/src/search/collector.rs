//! Unit scores kept per problem: its two best unit scores (a problem's score is built from
//! them), and each unit's score so that the sections of the page's problems need no second
//! query; and sets of problems.
//!
//! Dense arrays indexed by problem ordinal and doc id replace the list of every matching unit
//! and its grouping in a hash map, which cost more than the query at 10,000 problems.

use tantivy::query::Weight;
use tantivy::{DocAddress, Score, Searcher};

use super::units::{NO_PROBLEM, UnitMap};

/// Marks "no unit" in the score arrays (real scores are never negative infinity).
const NONE: Score = Score::NEG_INFINITY;

/// A set of problems, by ordinal.
#[derive(Debug, Clone)]
pub struct ProblemSet {
    members: Vec<bool>,
    len: usize,
}

impl ProblemSet {
    /// An empty set of problems below `problems`.
    pub fn new(problems: usize) -> ProblemSet {
        ProblemSet {
            members: vec![false; problems],
            len: 0,
        }
    }

    /// Adds a problem.
    pub fn insert(&mut self, problem: usize) {
        if !self.members[problem] {
            self.members[problem] = true;
            self.len += 1;
        }
    }

    /// Whether the set holds the problem.
    pub fn contains(&self, problem: usize) -> bool {
        self.members[problem]
    }

    /// Number of problems in the set.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Number of problems the set may hold: every problem of the generation.
    pub fn universe(&self) -> usize {
        self.members.len()
    }

    /// The problems of the set, in ordinal order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.members
            .iter()
            .enumerate()
            .filter(|(_, member)| **member)
            .map(|(problem, _)| problem)
    }
}

/// Exact scores of the units of some problems (every matching problem, or those that may
/// rank on the page).
#[derive(Debug)]
pub struct ProblemScores {
    /// Per problem: its best unit score, or `NEG_INFINITY` when no unit matched.
    best: Vec<Score>,
    /// Per problem: its second-best unit score, or `NEG_INFINITY`.
    second: Vec<Score>,
    /// The scores of the units.
    units: UnitScores,
}

/// Scores of units, by address.
#[derive(Debug)]
enum UnitScores {
    /// Per segment and doc: the unit's score, or `NEG_INFINITY` when it was not scored.
    Dense(Vec<Vec<Score>>),
    /// The units scored, in address order: a few, or every unit a walk listed.
    Sparse(Vec<(DocAddress, Score)>),
}

impl ProblemScores {
    /// No scores yet, for the segments of `searcher`, most of whose units may be scored.
    pub fn new(searcher: &Searcher, problems: usize) -> ProblemScores {
        ProblemScores {
            best: vec![NONE; problems],
            second: vec![NONE; problems],
            units: UnitScores::Dense(
                searcher
                    .segment_readers()
                    .iter()
                    .map(|reader| vec![NONE; reader.max_doc() as usize])
                    .collect(),
            ),
        }
    }

    /// No scores yet, for a few units (an array per segment would cost more to fill).
    pub fn sparse(problems: usize) -> ProblemScores {
        ProblemScores {
            best: vec![NONE; problems],
            second: vec![NONE; problems],
            units: UnitScores::Sparse(Vec::new()),
        }
    }

    /// The scores of `units`, every unit scored in address order, whose problems' two best
    /// scores are `two_best`: per problem, none when no unit matched, else the best and
    /// the second (none when one unit matched).
    pub fn from_sorted(
        two_best: impl Iterator<Item = Option<(Score, Option<Score>)>>,
        units: Vec<(DocAddress, Score)>,
    ) -> ProblemScores {
        let (best, second) = two_best
            .map(|two| match two {
                None => (NONE, NONE),
                Some((best, second)) => (best, second.unwrap_or(NONE)),
            })
            .unzip();
        ProblemScores {
            best,
            second,
            units: UnitScores::Sparse(units),
        }
    }

    /// Runs `weight` over every segment, scoring every unit it matches. Without `scoring`,
    /// matching units all score 0 (what matters is which problems match).
    pub fn collect(
        weight: &dyn Weight,
        searcher: &Searcher,
        map: &UnitMap,
        problems: usize,
        scoring: bool,
    ) -> tantivy::Result<ProblemScores> {
        let mut scores = ProblemScores::new(searcher, problems);
        for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
            let problem_of = map.segment(ordinal);
            let mut record = |doc: u32, score: Score| {
                scores.record(ordinal, problem_of, doc, score);
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
        }
        Ok(scores)
    }

    /// Records the score of unit `doc` of segment `segment`, whose doc → problem map is
    /// `problem_of`.
    pub fn record(&mut self, segment: usize, problem_of: &[u32], doc: u32, score: Score) {
        let problem = problem_of[doc as usize];
        if problem == NO_PROBLEM {
            // Deleted, or a problem the database does not know.
            return;
        }
        match &mut self.units {
            UnitScores::Dense(units) => units[segment][doc as usize] = score,
            UnitScores::Sparse(units) => {
                // Units come in address order: segment by segment, doc by doc.
                let address = DocAddress::new(segment as u32, doc);
                match units.last_mut() {
                    Some(last) if last.0 < address => units.push((address, score)),
                    None => units.push((address, score)),
                    Some(_) => match units.binary_search_by_key(&address, |unit| unit.0) {
                        Ok(at) => units[at].1 = score,
                        Err(at) => units.insert(at, (address, score)),
                    },
                }
            }
        }
        let problem = problem as usize;
        if score > self.best[problem] {
            self.second[problem] = self.best[problem];
            self.best[problem] = score;
        } else if score > self.second[problem] {
            self.second[problem] = score;
        }
    }

    /// Whether some unit of the problem was scored.
    pub fn scored(&self, problem: usize) -> bool {
        self.best[problem] != NONE
    }

    /// The problems with a scored unit.
    pub fn scored_set(&self) -> ProblemSet {
        let mut set = ProblemSet::new(self.best.len());
        for problem in 0..self.best.len() {
            if self.scored(problem) {
                set.insert(problem);
            }
        }
        set
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
                let score = match &self.units {
                    UnitScores::Dense(units) => {
                        units[address.segment_ord as usize][address.doc_id as usize]
                    }
                    UnitScores::Sparse(units) => units
                        .binary_search_by_key(address, |unit| unit.0)
                        .map_or(NONE, |at| units[at].1),
                };
                (score != NONE).then_some((*address, score))
            })
            .collect();
        units.sort_by(|a, b| b.1.total_cmp(&a.1));
        units
    }
}
