//! Scores the optional clauses of a query (its words and synonyms) without scoring every unit
//! they match.
//!
//! Common words match most units of a large catalog, yet the page is decided by the few units
//! where a word is in a title, a tag or a symptom. The evaluator splits the leaves of the query
//! in two (the MaxScore idea): *essential* leaves, whose postings are short, are scored for
//! every unit they hold; *common* leaves (a large share of the units, a low maximum score) are
//! only walked to learn which problems match. A problem that can't reach the page even if every
//! common leaf gave each of its units its maximum is left out, and the units of the remaining
//! candidates are scored exactly, seeking through the common leaves. When the bound does not
//! prune, more leaves become essential, up to all of them.
//!
//! Scores are those Tantivy gives the same query (`clause.rs`), bit for bit: leaves, groups
//! and clauses are folded in Tantivy's order, from the same per-leaf scores, one window of
//! doc ids at a time as Tantivy's `BufferedUnionScorer` does, but without its nesting.

use std::ops::Range;

use tantivy::{DocAddress, DocId, Score, Searcher};

use super::clause::Clause;
use super::collector::{ProblemScores, ProblemSet};
use super::leaves::{Automatons, LeafCursor, PreparedLeaf, SegmentLeaf};
use super::pool;
use super::units::{NO_PROBLEM, UnitMap};
use super::vocabulary::Vocabulary;

/// A leaf is common when it holds more than one unit in this many.
const COMMON_SHARE: u64 = 8;
/// Relative slack on bounds, for the rounding of sums folded in another order.
const SLACK: Score = 1e-4;
/// Doc ids folded at a time: small enough for the per-unit sums to stay in cache.
const WINDOW: u32 = 4096;
/// What looking a unit up in a leaf costs, in postings walked.
const SEEK_COST: u64 = 16;

/// Where the leaves are in the query.
struct Shape {
    /// Per clause, per group: its tie and its leaves (indices into the flat list of leaves).
    clauses: Vec<Vec<(Score, Vec<usize>)>>,
    /// Per leaf: an earlier leaf of its clause with the same term, whose postings it can
    /// reuse (the typo bonus of a known word matches where the word does).
    same_term: Vec<Option<usize>>,
}

/// One search's evaluation of its optional clauses.
pub struct Evaluator<'a> {
    searcher: &'a Searcher,
    map: &'a UnitMap,
    problems: usize,
    second_weight: Score,
    /// Per segment, the leaves opened on it, in the order of `shape`.
    open: Vec<Vec<SegmentLeaf<'a>>>,
    /// Per leaf: its postings over all segments, and its highest score.
    stats: Vec<(u64, Score)>,
    shape: Shape,
    /// Which leaves are scored for every unit they hold.
    essential: Vec<bool>,
    /// Per problem, what scoring the essential leaves gave its units.
    partial: Vec<PartialProblem>,
    /// The most the common leaves could add to a unit no essential leaf matched.
    untouched: Score,
    /// When no leaf is common: the units matched, in address order, and their exact scores.
    exact: Vec<(DocAddress, Score)>,
    matched: ProblemSet,
    /// Essential postings from which their walk is split, and in how many parts.
    split: (u64, usize),
}

impl<'a> Evaluator<'a> {
    /// Prepares the leaves of `clauses`: every leaf is essential but the common ones.
    pub fn new(
        clauses: &[Clause],
        searcher: &'a Searcher,
        vocabulary: Option<&Vocabulary>,
        map: &'a UnitMap,
        problems: usize,
        second_weight: Score,
    ) -> tantivy::Result<Evaluator<'a>> {
        let (leaves, shape) = prepare(clauses, searcher, vocabulary)?;
        let open: Vec<Vec<SegmentLeaf>> = searcher
            .segment_readers()
            .iter()
            .map(|reader| leaves.iter().map(|leaf| leaf.open(reader)).collect())
            .collect::<tantivy::Result<_>>()?;
        let mut stats = vec![(0, 0.0); leaves.len()];
        for segment in &open {
            for (leaf, (doc_freq, max)) in segment.iter().zip(&mut stats) {
                *doc_freq += leaf.doc_freq;
                *max = Score::max(*max, leaf.max_score());
            }
        }
        let units: u64 = searcher
            .segment_readers()
            .iter()
            .map(|reader| u64::from(reader.max_doc()))
            .sum();
        let essential = stats
            .iter()
            .map(|(doc_freq, max)| !(max.is_finite() && doc_freq * COMMON_SHARE > units))
            .collect();
        Ok(Evaluator {
            searcher,
            map,
            problems,
            second_weight,
            open,
            stats,
            shape,
            essential,
            partial: Vec::new(),
            untouched: 0.0,
            exact: Vec::new(),
            matched: ProblemSet::new(problems),
            split: (PARALLEL_WALK, pool::parts()),
        })
    }

    /// Which problems match some leaf of `clauses`, without scoring anything.
    pub fn problems_matching(
        clauses: &[Clause],
        searcher: &Searcher,
        vocabulary: Option<&Vocabulary>,
        map: &UnitMap,
        problems: usize,
    ) -> tantivy::Result<ProblemSet> {
        let (leaves, _) = prepare(clauses, searcher, vocabulary)?;
        let mut matched = ProblemSet::new(problems);
        let mut pending = Pending::default();
        for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
            for leaf in &leaves {
                mark(
                    &leaf.open(reader)?,
                    ordinal,
                    map,
                    &mut matched,
                    &mut pending,
                )?;
            }
        }
        Ok(matched)
    }

    /// Which problems match some leaf. Scores the essential leaves on the way.
    pub fn matched(&mut self) -> tantivy::Result<&ProblemSet> {
        self.score_essential()?;
        let mut pending = Pending::default();
        for (ordinal, leaves) in self.open.iter().enumerate() {
            for (leaf, essential) in leaves.iter().zip(&self.essential) {
                if !essential {
                    mark(leaf, ordinal, self.map, &mut self.matched, &mut pending)?;
                }
            }
        }
        Ok(&self.matched)
    }

    /// Scores the essential leaves over every unit, and marks the problems they match. A
    /// long walk is split between the cores (see [`parts`]).
    fn score_essential(&mut self) -> tantivy::Result<()> {
        // The units' scores are only kept when exact; otherwise only their bounds per problem.
        let exact = self
            .common_leaves()
            .iter()
            .all(|(_, (doc_freq, _))| *doc_freq == 0);
        let walk: u64 = self
            .stats
            .iter()
            .zip(&self.essential)
            .filter(|(_, essential)| **essential)
            .map(|((doc_freq, _), _)| doc_freq)
            .sum();
        let (min_walk, count) = self.split;
        let count = if walk >= min_walk { count } else { 1 };
        let sizes: Vec<DocId> = self
            .searcher
            .segment_readers()
            .iter()
            .map(|reader| reader.max_doc())
            .collect();
        let walker = EssentialWalk {
            open: &self.open,
            shape: &self.shape,
            essential: &self.essential,
            map: self.map,
            problems: self.problems,
            exact,
        };
        let outcomes = pool::map(parts(&sizes, count), |part| walker.walk(&part));
        // The parts cover the units in order: their lists of exact scores follow each other.
        self.exact = Vec::new();
        self.partial = Vec::new();
        self.untouched = 0.0;
        for outcome in outcomes {
            let part = outcome?;
            if self.partial.is_empty() {
                self.partial = part.partial;
            } else {
                for (mine, theirs) in self.partial.iter_mut().zip(&part.partial) {
                    mine.merge(theirs);
                }
            }
            if self.exact.is_empty() {
                self.exact = part.exact;
            } else {
                self.exact.extend(part.exact);
            }
            self.untouched = Score::max(self.untouched, part.untouched);
        }
        self.partial
            .resize(self.problems, PartialProblem::default());
        for (problem, partial) in self.partial.iter().enumerate() {
            if partial.touched > 0 {
                self.matched.insert(problem);
            }
        }
        Ok(())
    }

    /// Exact scores of every problem among `eligible` that may rank in the first `count`
    /// (whatever breaks ties): a superset of those, up to all of `eligible`.
    pub fn top(&mut self, count: usize, eligible: &ProblemSet) -> tantivy::Result<ProblemScores> {
        loop {
            let common = self.common_leaves();
            if common.iter().all(|(_, (doc_freq, _))| *doc_freq == 0) {
                // Every leaf that matches anything was scored in Tantivy's order: exact.
                return Ok(self.exact_from_partials());
            }
            let rest = self.untouched;
            let bounds = self.bounds(eligible, rest);
            let threshold = kth_largest(&bounds.lower, count);
            if (1.0 + self.second_weight) * rest * (1.0 + SLACK) >= threshold {
                // A problem no essential leaf matched might rank: make more leaves essential.
                self.widen(threshold);
                self.score_essential()?;
                continue;
            }
            let candidates: Vec<usize> = (0..self.problems)
                .filter(|problem| bounds.upper[*problem] >= threshold)
                .collect();
            let candidate_units: u64 = candidates
                .iter()
                .map(|problem| self.map.units_of(*problem).len() as u64)
                .sum();
            // A candidate's units are neighbours: a seek, then steps within the block.
            let look_up = candidates.len() as u64 * SEEK_COST + candidate_units;
            let look_ups: u64 = self
                .stats
                .iter()
                .map(|(doc_freq, _)| (*doc_freq).min(look_up))
                .sum();
            let walk: u64 = self.stats.iter().map(|(doc_freq, _)| doc_freq).sum();
            if look_ups >= walk {
                // Looking up so many units costs more than scoring every one.
                self.essential
                    .iter_mut()
                    .for_each(|essential| *essential = true);
                self.score_essential()?;
                continue;
            }
            return self.score_candidates(&candidates);
        }
    }

    /// The common leaves with their statistics.
    fn common_leaves(&self) -> Vec<(usize, (u64, Score))> {
        self.stats
            .iter()
            .copied()
            .enumerate()
            .filter(|(index, _)| !self.essential[*index])
            .collect()
    }

    /// Makes essential the common leaves with the highest maximum, until the others can no
    /// longer lift a problem none of the essential leaves matched to `threshold`; all of them
    /// if that is not possible.
    fn widen(&mut self, threshold: Score) {
        let mut common = self.common_leaves();
        common.sort_by(|a, b| b.1.1.total_cmp(&a.1.1));
        let mut rest: Score = common.iter().map(|(_, (_, max))| max).sum();
        for (index, (_, max)) in common {
            if (1.0 + self.second_weight) * rest * (1.0 + SLACK) < threshold {
                return;
            }
            self.essential[index] = true;
            rest -= max;
        }
    }

    /// Per problem, a lower and an upper bound of its score, when the common leaves may add
    /// up to `rest` to a unit no essential leaf matched. Problems outside `eligible`, or
    /// that no essential leaf matched, get none (a lower bound of 0, an upper bound of −∞).
    fn bounds(&self, eligible: &ProblemSet, rest: Score) -> Bounds {
        let mut lower = vec![0.0; self.problems];
        let mut upper = vec![Score::NEG_INFINITY; self.problems];
        for (problem, partial) in self.partial.iter().enumerate() {
            if partial.touched == 0 || !eligible.contains(problem) {
                continue;
            }
            lower[problem] = partial.low.score(self.second_weight) * (1.0 - SLACK);
            // Its units no essential leaf matched may still get `rest` from the common ones.
            let mut high = partial.high;
            let untouched = self.map.units_of(problem).len() - partial.touched as usize;
            for _ in 0..untouched.min(2) {
                high.push(rest);
            }
            upper[problem] = high.score(self.second_weight) * (1.0 + SLACK);
        }
        Bounds { lower, upper }
    }

    /// The scores the essential leaves gave, when they are exact: the units listed in the
    /// walk, and each problem's two best, which its bounds kept.
    fn exact_from_partials(&mut self) -> ProblemScores {
        let two_best = self.partial.iter().map(|partial| match partial.touched {
            0 => None,
            1 => Some((partial.low.best, None)),
            _ => Some((partial.low.best, Some(partial.low.second))),
        });
        ProblemScores::from_sorted(two_best, std::mem::take(&mut self.exact))
    }

    /// Exact scores of the units of `candidates`, from every leaf.
    fn score_candidates(&self, candidates: &[usize]) -> tantivy::Result<ProblemScores> {
        let mut scores = ProblemScores::sparse(self.problems);
        let mut per_segment: Vec<Vec<DocId>> = vec![Vec::new(); self.open.len()];
        for problem in candidates {
            for address in self.map.units_of(*problem) {
                per_segment[address.segment_ord as usize].push(address.doc_id);
            }
        }
        let every = vec![true; self.stats.len()];
        for (ordinal, reader) in self.searcher.segment_readers().iter().enumerate() {
            let units = &mut per_segment[ordinal];
            if units.is_empty() {
                continue;
            }
            units.sort_unstable();
            let problem_of = self.map.segment(ordinal);
            fold(
                &self.open[ordinal],
                &self.shape,
                &every,
                0..reader.max_doc(),
                Some(units),
                &mut |doc, score, _| scores.record(ordinal, problem_of, doc, score),
            )?;
        }
        Ok(scores)
    }
}

/// Prepares the leaves of `clauses`, in order, and records their places.
fn prepare(
    clauses: &[Clause],
    searcher: &Searcher,
    vocabulary: Option<&Vocabulary>,
) -> tantivy::Result<(Vec<PreparedLeaf>, Shape)> {
    let mut automatons = Automatons::new(vocabulary);
    let mut leaves: Vec<PreparedLeaf> = Vec::new();
    let mut shape = Shape {
        clauses: Vec::new(),
        same_term: Vec::new(),
    };
    for clause in clauses {
        let first = leaves.len();
        let mut groups = Vec::new();
        for group in &clause.groups {
            let mut indices = Vec::new();
            for leaf in &group.leaves {
                let prepared = PreparedLeaf::new(leaf, clause.boost, searcher, &mut automatons)?;
                let same_term = prepared.term().and_then(|term| {
                    (first..leaves.len()).find(|earlier| leaves[*earlier].term() == Some(term))
                });
                indices.push(leaves.len());
                shape.same_term.push(same_term);
                leaves.push(prepared);
            }
            groups.push((group.tie, indices));
        }
        shape.clauses.push(groups);
    }
    Ok((leaves, shape))
}

/// What scoring the essential leaves gave the units of one problem.
#[derive(Debug, Clone, Copy, Default)]
struct PartialProblem {
    /// Units they matched.
    touched: u32,
    /// The two best of their scores counting only those leaves.
    low: TopTwo,
    /// The two best of what their scores could be with the common leaves.
    high: TopTwo,
}

impl PartialProblem {
    /// Adds what another walk of the same leaves, over other units, gave.
    fn merge(&mut self, other: &PartialProblem) {
        if other.touched == 0 {
            return;
        }
        self.touched += other.touched;
        for score in [other.low.best, other.low.second] {
            self.low.push(score);
        }
        for score in [other.high.best, other.high.second] {
            self.high.push(score);
        }
    }
}

/// What walking the essential leaves over some units gave.
struct Essential {
    /// Per problem.
    partial: Vec<PartialProblem>,
    /// When the scores are exact: the units matched, in address order, and their scores.
    exact: Vec<(DocAddress, Score)>,
    /// The most the common leaves could add to a unit no essential leaf matched.
    untouched: Score,
}

/// What a walk of the essential leaves reads, shared by the threads that walk them.
struct EssentialWalk<'e, 'a> {
    open: &'e [Vec<SegmentLeaf<'a>>],
    shape: &'e Shape,
    essential: &'e [bool],
    map: &'e UnitMap,
    problems: usize,
    exact: bool,
}

impl EssentialWalk<'_, '_> {
    /// Walks the essential leaves over the units of `part`.
    fn walk(&self, part: &[(usize, Range<DocId>)]) -> tantivy::Result<Essential> {
        let mut essential = Essential {
            partial: vec![PartialProblem::default(); self.problems],
            exact: Vec::new(),
            untouched: 0.0,
        };
        if self.exact {
            // At most a unit per posting, and per doc of the part.
            let capacity = part.iter().map(|(ordinal, range)| {
                let postings: u64 = self.open[*ordinal]
                    .iter()
                    .zip(self.essential)
                    .filter(|(_, essential)| **essential)
                    .map(|(leaf, _)| leaf.doc_freq)
                    .sum();
                postings.min(u64::from(range.end - range.start))
            });
            essential.exact = Vec::with_capacity(capacity.sum::<u64>() as usize);
        }
        for (ordinal, range) in part {
            let problem_of = self.map.segment(*ordinal);
            let Essential { partial, exact, .. } = &mut essential;
            let untouched = fold(
                &self.open[*ordinal],
                self.shape,
                self.essential,
                range.clone(),
                None,
                &mut |doc, score, gain| {
                    let problem = problem_of[doc as usize];
                    if problem == NO_PROBLEM {
                        // Deleted, or a problem the database does not know.
                        return;
                    }
                    if self.exact {
                        exact.push((DocAddress::new(*ordinal as u32, doc), score));
                    }
                    let partial = &mut partial[problem as usize];
                    partial.touched += 1;
                    partial.low.push(score);
                    partial.high.push(score + gain);
                },
            )?;
            essential.untouched = Score::max(essential.untouched, untouched);
        }
        Ok(essential)
    }
}

/// Splits the units of segments of `sizes` docs into at most `count` parts of about as many
/// docs each, cut at window boundaries: per part, ranges of doc ids in segment order.
fn parts(sizes: &[DocId], count: usize) -> Vec<Vec<(usize, Range<DocId>)>> {
    let count = count.max(1);
    let total: u64 = sizes.iter().map(|size| u64::from(*size)).sum();
    let share = total.div_ceil(count as u64);
    let mut parts: Vec<Vec<(usize, Range<DocId>)>> = vec![Vec::new()];
    // Docs the last part still takes.
    let mut room = share;
    for (ordinal, size) in sizes.iter().enumerate() {
        let mut start: DocId = 0;
        while start < *size {
            if room == 0 && parts.len() < count {
                parts.push(Vec::new());
                room = share;
            }
            let end = if parts.len() == count {
                *size
            } else {
                // No window is split between two parts.
                let cut = (u64::from(start) + room).next_multiple_of(u64::from(WINDOW));
                DocId::try_from(cut).map_or(*size, |cut| cut.min(*size))
            };
            if let Some(part) = parts.last_mut() {
                part.push((ordinal, start..end));
            }
            room = room.saturating_sub(u64::from(end - start));
            start = end;
        }
    }
    parts
}

/// Per search, the posting count of essential leaves from which their walk is split between
/// threads: below it, handing a part over costs more than it saves.
const PARALLEL_WALK: u64 = 10_000;

/// Per problem, bounds of its score.
struct Bounds {
    lower: Vec<Score>,
    upper: Vec<Score>,
}

/// The two highest unit scores of a problem, which make its score.
#[derive(Debug, Clone, Copy, Default)]
struct TopTwo {
    best: Score,
    second: Score,
}

impl TopTwo {
    fn push(&mut self, score: Score) {
        if score > self.best {
            self.second = self.best;
            self.best = score;
        } else if score > self.second {
            self.second = score;
        }
    }

    /// The problem's score, as `ProblemScores::score` makes it.
    fn score(&self, second_weight: Score) -> Score {
        self.best + self.second * second_weight
    }
}

/// The `count`-th largest value (from 1), or 0 when there are fewer values.
fn kth_largest(values: &[Score], count: usize) -> Score {
    if count == 0 || count > values.len() {
        return 0.0;
    }
    let mut values = values.to_vec();
    let (_, kth, _) = values.select_nth_unstable_by(count - 1, |a, b| b.total_cmp(a));
    *kth
}

/// The units of the problems no leaf has marked yet, per segment, in doc order: listed
/// once, when a leaf is first cheaper to look up than to walk, then shrunk as leaves mark.
#[derive(Default)]
struct Pending {
    per_segment: Option<Vec<Vec<(DocId, u32)>>>,
}

impl Pending {
    /// The units of segment `ordinal` whose problems are not in `matched`.
    fn units(&mut self, ordinal: usize, map: &UnitMap, matched: &ProblemSet) -> &[(DocId, u32)] {
        let per_segment = self.per_segment.get_or_insert_with(|| {
            let mut per_segment: Vec<Vec<(DocId, u32)>> = Vec::new();
            for problem in (0..matched.universe()).filter(|problem| !matched.contains(*problem)) {
                for address in map.units_of(problem) {
                    let segment = address.segment_ord as usize;
                    if per_segment.len() <= segment {
                        per_segment.resize_with(segment + 1, Vec::new);
                    }
                    per_segment[segment].push((address.doc_id, problem as u32));
                }
            }
            per_segment
                .iter_mut()
                .for_each(|units| units.sort_unstable());
            per_segment
        });
        let Some(units) = per_segment.get_mut(ordinal) else {
            return &[];
        };
        units.retain(|(_, problem)| !matched.contains(*problem as usize));
        units
    }
}

/// Marks the problems of the units `leaf` matches in segment `ordinal`. When few units
/// belong to problems not marked yet, it looks those up instead of walking the leaf.
fn mark(
    leaf: &SegmentLeaf,
    ordinal: usize,
    map: &UnitMap,
    matched: &mut ProblemSet,
    pending: &mut Pending,
) -> tantivy::Result<()> {
    if leaf.doc_freq == 0 || matched.len() == matched.universe() {
        return Ok(());
    }
    let problem_of = map.segment(ordinal);
    let unmarked = matched.universe() - matched.len();
    // Units per problem vary; the average is enough to choose.
    let units_per_problem = (problem_of.len() / matched.universe().max(1)).max(1);
    if ((unmarked * units_per_problem) as u64) * SEEK_COST < leaf.doc_freq {
        let units = pending.units(ordinal, map, matched);
        let mut cursor = leaf.cursor(true, 0..problem_of.len() as DocId)?;
        for (doc, problem) in units {
            let problem = *problem as usize;
            if !matched.contains(problem) && cursor.score_at(*doc).is_some() {
                matched.insert(problem);
            }
        }
        return Ok(());
    }
    leaf.for_each_doc(&mut |docs| {
        for doc in docs {
            let problem = problem_of[*doc as usize];
            if problem != NO_PROBLEM {
                matched.insert(problem as usize);
            }
        }
    })
}

/// What a fold works in: every sum drained and every saving 0 between folds.
struct Scratch {
    group: Sums,
    clause: Sums,
    total: Sums,
    /// Per unit, how much less than the untouched gain the excluded leaves could add to it.
    saved: Box<[Score; SLOTS]>,
    /// The units wanted in a window.
    wanted: Units,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            group: Sums::new(),
            clause: Sums::new(),
            total: Sums::new(),
            saved: Box::new([0.0; SLOTS]),
            wanted: Units::new(),
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::Cell<Option<Box<Scratch>>> = const { std::cell::Cell::new(None) };
}

/// Folds the leaves marked in `included` over the units of `range` in one segment (every unit,
/// or the sorted `only`), in Tantivy's order: leaves into their group's disjunction max, groups into
/// their clause's sum, clauses into the query's sum. Calls `out` with each unit some
/// included leaf matched, in doc order, its score, and the most the other leaves could add to
/// it. Returns the most they could add to a unit no included leaf matched.
fn fold(
    leaves: &[SegmentLeaf],
    shape: &Shape,
    included: &[bool],
    range: Range<DocId>,
    only: Option<&[DocId]>,
    out: &mut impl FnMut(DocId, Score, Score),
) -> tantivy::Result<Score> {
    // Wanted units mostly come in runs (a problem's units are neighbours): each run costs a
    // seek, each unit then a step within the block.
    let look_up_cost = only.map_or(0, |units| {
        let runs = 1 + units
            .windows(2)
            .filter(|pair| pair[1] != pair[0] + 1)
            .count() as u64;
        runs * SEEK_COST + units.len() as u64
    });
    let mut cursors: Vec<Option<(LeafCursor, bool)>> = Vec::with_capacity(leaves.len());
    for (leaf, included) in leaves.iter().zip(included) {
        cursors.push(if *included && leaf.doc_freq > 0 {
            let look_up = only.is_some() && look_up_cost < leaf.doc_freq;
            Some((leaf.cursor(look_up, range.clone())?, look_up))
        } else {
            None
        });
    }
    let plan = GroupPlan::new(leaves, shape, included, &cursors);
    for (index, mirrored) in plan.mirrored.iter().enumerate() {
        if *mirrored {
            // Its units come from the walk of the leaf with its term.
            cursors[index] = None;
        }
    }
    let walked_groups: Vec<usize> = plan
        .clauses
        .iter()
        .map(|groups| groups.iter().filter(|group| !group.from_previous).count())
        .collect();
    let mut untouched_gain: Score = 0.0;
    for groups in &plan.clauses {
        for group in groups {
            if let Some(excluded) = group.excluded {
                untouched_gain += excluded.gain(group.tie, 0.0);
            }
        }
    }
    // Zeroing the sums of a window costs more than a small fold (a search folds once per
    // segment, then again for its candidates): a thread keeps them between folds. A fold
    // that fails returns without putting them back, since they may not be drained.
    let mut scratch = SCRATCH.take().unwrap_or_else(|| Box::new(Scratch::new()));
    let Scratch {
        group,
        clause,
        total,
        saved,
        wanted,
    } = &mut *scratch;
    let mut next = 0;
    let mut start = range.start;
    while start < range.end {
        // The units wanted in this window, or a jump to the next window holding some.
        let window_units = match only {
            Some(units) => {
                let Some(first) = units.get(next) else {
                    break;
                };
                if *first >= start.saturating_add(WINDOW) {
                    start = first - first % WINDOW;
                }
                let end = start.saturating_add(WINDOW);
                let count = units[next..].iter().take_while(|doc| **doc < end).count();
                let window_units = &units[next..next + count];
                next += count;
                wanted.clear();
                for doc in window_units {
                    wanted.insert(doc - start);
                }
                Some(window_units)
            }
            None => None,
        };
        let end = start.saturating_add(WINDOW).min(range.end);
        for (groups, walked_groups) in plan.clauses.iter().zip(&walked_groups) {
            for planned in groups.iter().filter(|planned| !planned.from_previous) {
                for index in &planned.leaves {
                    let Some((cursor, look_up)) = cursors[*index].as_mut() else {
                        continue;
                    };
                    let mirror = plan.mirror[*index];
                    // As Tantivy's `DisjunctionMaxCombiner`, from 0: `value` holds the maximum,
                    // `extra` the sum, `other` the next group's maximum when its leaves take
                    // their units from these.
                    let mut put = |doc: DocId, score: Score| {
                        let at = slot(doc - start);
                        group.touched.insert(at as DocId);
                        group.value[at] = larger(score, group.value[at]);
                        group.extra[at] += score;
                        if let Some(constant) = mirror {
                            group.other[at] = larger(constant, group.other[at]);
                        }
                    };
                    match window_units {
                        None => cursor.for_each_until(end, &mut put),
                        Some(units) if *look_up => {
                            for doc in units {
                                if let Some(score) = cursor.score_at(*doc) {
                                    put(*doc, score);
                                }
                            }
                        }
                        Some(_) => {
                            cursor.skip_to(start);
                            cursor.for_each_until(end, &mut |doc, score| {
                                if wanted.contains(doc - start) {
                                    put(doc, score);
                                }
                            });
                        }
                    }
                }
                let next_group = planned.mirrored_by.map(|next| &groups[next]);
                group.drain(|at, max, sum, mirrored| {
                    // As Tantivy's `SumCombiner`, from 0.
                    let mut score = max + (sum - max) * planned.tie;
                    if let Some(excluded) = planned.excluded {
                        saved[slot(at)] += excluded.saving(planned.tie, max);
                    }
                    if let Some(next_group) = next_group.filter(|_| mirrored > 0.0) {
                        // A disjunction max with no tie: `(sum - max) * 0` adds nothing.
                        score += mirrored;
                        if let Some(excluded) = next_group.excluded {
                            saved[slot(at)] += excluded.saving(0.0, mirrored);
                        }
                    }
                    // A clause of one group walked is summed up here already.
                    let sums = if *walked_groups == 1 {
                        &mut *total
                    } else {
                        &mut *clause
                    };
                    sums.touched.insert(at);
                    sums.value[slot(at)] += score;
                });
            }
            clause.drain(|at, score, _, _| {
                total.touched.insert(at);
                total.value[slot(at)] += score;
            });
        }
        total.drain(|at, score, _, _| {
            let gain = Score::max(0.0, untouched_gain - saved[slot(at)]);
            saved[slot(at)] = 0.0;
            out(start + at, score, gain);
        });
        start = end;
    }
    SCRATCH.set(Some(scratch));
    Ok(untouched_gain)
}

/// How `fold` walks the groups of a query.
struct GroupPlan {
    /// Per clause, per group.
    clauses: Vec<Vec<PlannedGroup>>,
    /// Per leaf: when a constant leaf of the next group has its term, that constant.
    mirror: Vec<Option<Score>>,
    /// Per leaf: whether its units come from the walk of the leaf with its term.
    mirrored: Vec<bool>,
}

/// One group in `GroupPlan`.
struct PlannedGroup {
    tie: Score,
    leaves: Vec<usize>,
    /// Its leaves that are not included, summed up: what they could add.
    excluded: Option<Excluded>,
    /// Whether every included leaf of it is a constant leaf with the term of a leaf of the
    /// group before, and it has no tie: its value is then the largest of their constants
    /// where those leaves matched, gathered while walking them.
    from_previous: bool,
    /// The next group, when it comes from this one.
    mirrored_by: Option<usize>,
}

/// The leaves of a group left out of a fold.
#[derive(Debug, Clone, Copy)]
struct Excluded {
    /// Their highest maximum.
    top: Score,
    /// The sum of their maxima.
    sum: Score,
}

impl Excluded {
    /// The most they could add to a unit whose included leaves in the group have a best score
    /// of `best`. A leaf raises a disjunction max by at most its own score, and its maximum
    /// part by no more than what it exceeds the best by.
    fn gain(&self, tie: Score, best: Score) -> Score {
        let gain = (1.0 - tie) * Score::max(0.0, self.top - best);
        // Without a tie the others add nothing, even when their maximum is unknown.
        if tie == 0.0 {
            gain
        } else {
            gain + tie * self.sum
        }
    }

    /// How much less they could add to a unit whose included leaves have a best score of
    /// `best` than to one they did not match: `gain(tie, 0) - gain(tie, best)`, which stays
    /// finite when a maximum is unknown (a phrase).
    fn saving(&self, tie: Score, best: Score) -> Score {
        (1.0 - tie) * Score::min(self.top, best)
    }
}

impl GroupPlan {
    fn new(
        leaves: &[SegmentLeaf],
        shape: &Shape,
        included: &[bool],
        cursors: &[Option<(LeafCursor, bool)>],
    ) -> GroupPlan {
        let walks = |index: usize| cursors[index].is_some();
        let mut mirror = vec![None; leaves.len()];
        let mut mirrored = vec![false; leaves.len()];
        let mut clauses = Vec::new();
        for groups in &shape.clauses {
            let mut planned: Vec<PlannedGroup> = groups
                .iter()
                .map(|(tie, indices)| {
                    let maxima: Vec<Score> = indices
                        .iter()
                        .filter(|index| !included[**index] && leaves[**index].doc_freq > 0)
                        .map(|index| leaves[*index].max_score())
                        .collect();
                    PlannedGroup {
                        tie: *tie,
                        leaves: indices.clone(),
                        excluded: (!maxima.is_empty()).then(|| Excluded {
                            top: maxima.iter().copied().fold(0.0, Score::max),
                            sum: maxima.iter().sum(),
                        }),
                        from_previous: false,
                        mirrored_by: None,
                    }
                })
                .collect();
            for next in 1..planned.len() {
                let previous = &planned[next - 1];
                let walked: Vec<usize> = planned[next]
                    .leaves
                    .iter()
                    .copied()
                    .filter(|index| walks(*index))
                    .collect();
                let sources: Option<Vec<usize>> = walked
                    .iter()
                    .map(|index| {
                        let source = shape.same_term[*index]?;
                        (leaves[*index].constant().is_some()
                            && previous.leaves.contains(&source)
                            && walks(source)
                            && !previous.from_previous)
                            .then_some(source)
                    })
                    .collect();
                let Some(sources) = sources else {
                    continue;
                };
                if walked.is_empty() || planned[next].tie != 0.0 {
                    continue;
                }
                for (index, source) in walked.iter().zip(&sources) {
                    mirror[*source] = leaves[*index].constant();
                    mirrored[*index] = true;
                }
                planned[next].from_previous = true;
                planned[next - 1].mirrored_by = Some(next);
            }
            clauses.push(planned);
        }
        GroupPlan {
            clauses,
            mirror,
            mirrored,
        }
    }
}

/// The larger of two scores: `f32::max` without its care for NaN, which scores never are.
#[inline]
fn larger(a: Score, b: Score) -> Score {
    if a > b { a } else { b }
}

/// Units of a window: arrays of this length, indexed by a doc id's offset in the window
/// (masked, so that the compiler knows it is in bounds).
const SLOTS: usize = WINDOW as usize;

/// The slot of offset `at` in a window.
fn slot(at: DocId) -> usize {
    at as usize & (SLOTS - 1)
}

/// A set of units of one window of doc ids.
struct Units {
    bits: Box<[u64; SLOTS / 64]>,
    any: bool,
}

impl Units {
    fn new() -> Units {
        Units {
            bits: Box::new([0; SLOTS / 64]),
            any: false,
        }
    }

    fn clear(&mut self) {
        if self.any {
            self.bits.iter_mut().for_each(|bits| *bits = 0);
            self.any = false;
        }
    }

    fn insert(&mut self, at: DocId) {
        self.bits[slot(at) / 64] |= 1u64 << (at % 64);
        self.any = true;
    }

    fn contains(&self, at: DocId) -> bool {
        self.bits[slot(at) / 64] & (1u64 << (at % 64)) != 0
    }
}

/// Values per unit of one window of doc ids, 0 until the unit is touched.
struct Sums {
    value: Box<[Score; SLOTS]>,
    extra: Box<[Score; SLOTS]>,
    other: Box<[Score; SLOTS]>,
    touched: Units,
}

impl Sums {
    fn new() -> Sums {
        Sums {
            value: Box::new([0.0; SLOTS]),
            extra: Box::new([0.0; SLOTS]),
            other: Box::new([0.0; SLOTS]),
            touched: Units::new(),
        }
    }

    /// Calls `f` with every unit touched, in order, and its values; then every unit is
    /// untouched again, its values 0.
    fn drain(&mut self, mut f: impl FnMut(DocId, Score, Score, Score)) {
        if !self.touched.any {
            return;
        }
        for (word, bits) in self.touched.bits.iter_mut().enumerate() {
            while *bits != 0 {
                let at = word as DocId * 64 + bits.trailing_zeros();
                let index = slot(at);
                f(at, self.value[index], self.extra[index], self.other[index]);
                self.value[index] = 0.0;
                self.extra[index] = 0.0;
                self.other[index] = 0.0;
                *bits &= *bits - 1;
            }
        }
        self.touched.any = false;
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};
    use std::path::Path;

    use tantivy::directory::MmapDirectory;
    use tantivy::query::EnableScoring;
    use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy};

    use super::*;
    use crate::config::Config;
    use crate::ingest::{IndexOptions, index};
    use crate::search::query::{BuiltQuery, QueryBuilder, parse_query};
    use crate::search::schema::{SearchSchema, TOKENIZER};

    const SECOND: Score = 0.25;

    /// Queries of every kind the evaluator reads: words, stop words, typos, unknown words,
    /// prefixes, numbers, synonyms (single words and phrases), repeats.
    const QUERIES: &[&str] = &[
        "max connections reached on the database server",
        "cache invalidation race",
        "databse timeout ",
        "thundring herd",
        "impatient user submitted twice",
        "conn",
        "retry storm on the recovering api",
        "the",
        "504",
        "oom killed",
        "db replica lag",
        "p99 latency explodes",
        "cache cache cache",
        "split-bra",
        "worker queue backlog spike latency retry lock",
        "xyzzy",
    ];

    struct Fixture {
        _dirs: Vec<tempfile::TempDir>,
        index: Index,
        reader: IndexReader,
        synonyms: Vec<Vec<String>>,
    }

    async fn fixture(catalog: &Path, dirs: Vec<tempfile::TempDir>) -> Fixture {
        let config = Config::load(catalog).expect("catalog.toml");
        let data = tempfile::tempdir().expect("tempdir");
        let options = IndexOptions {
            data_dir: data.path().to_path_buf(),
            ..IndexOptions::default()
        };
        let summary = index(config.clone(), &options, &|_, _| {})
            .await
            .expect("index");
        let directory =
            MmapDirectory::open(summary.generation.tantivy_dir()).expect("tantivy folder");
        let index = Index::open(directory).expect("index");
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .expect("reader");
        let synonyms = config.synonym_groups();
        let mut dirs = dirs;
        dirs.push(data);
        Fixture {
            _dirs: dirs,
            index,
            reader,
            synonyms,
        }
    }

    async fn bundled() -> Fixture {
        fixture(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog"),
            Vec::new(),
        )
        .await
    }

    /// A generated catalog: a few words in most units, as at 10,000 articles.
    async fn generated() -> Fixture {
        let catalog = tempfile::tempdir().expect("tempdir");
        crate::generate::generate(catalog.path(), 300, 42).expect("generate");
        let path = catalog.path().to_path_buf();
        fixture(&path, vec![catalog]).await
    }

    /// Problem ordinals by key, as the engine numbers them (any numbering will do).
    fn unit_map(searcher: &Searcher) -> (UnitMap, usize) {
        let mut by_key: HashMap<u64, usize> = HashMap::new();
        for reader in searcher.segment_readers() {
            let keys = reader.fast_fields().u64("key").expect("key column");
            for doc in 0..reader.max_doc() {
                if let Some(key) = keys.first(doc) {
                    let next = by_key.len();
                    by_key.entry(key).or_insert(next);
                }
            }
        }
        let problems = by_key.len();
        let map = UnitMap::build(searcher, &by_key, problems).expect("unit map");
        (map, problems)
    }

    fn build(fixture: &Fixture, searcher: &Searcher, q: &str) -> BuiltQuery {
        let schema = SearchSchema::new();
        let mut builder = QueryBuilder {
            schema: &schema,
            analyzer: fixture.index.tokenizers().get(TOKENIZER).expect("en_stem"),
            synonyms: &fixture.synonyms,
            searcher,
        };
        builder.build(&parse_query(q))
    }

    /// Every unit's score from Tantivy's own scorer of the same query.
    fn tantivy_scores(
        built: &BuiltQuery,
        searcher: &Searcher,
        map: &UnitMap,
        problems: usize,
    ) -> ProblemScores {
        let weight = built
            .positive()
            .weight(EnableScoring::enabled_from_searcher(searcher))
            .expect("weight");
        ProblemScores::collect(&*weight, searcher, map, problems, true).expect("collect")
    }

    fn units(scores: &ProblemScores, map: &UnitMap, problem: usize) -> Vec<(DocAddress, Score)> {
        scores.units_of(map, problem)
    }

    /// Checks every query with typos looked for in each dictionary, then in the vocabulary.
    fn check(fixture: &Fixture) {
        let searcher = fixture.reader.searcher();
        let fields: Vec<_> = SearchSchema::new()
            .weighted_fields()
            .iter()
            .map(|(field, _)| *field)
            .collect();
        let vocabulary = Vocabulary::build(&searcher, &fields).expect("vocabulary");
        check_with(fixture, None);
        check_with(fixture, Some(&vocabulary));
    }

    fn check_with(fixture: &Fixture, vocabulary: Option<&Vocabulary>) {
        let searcher = fixture.reader.searcher();
        let (map, problems) = unit_map(&searcher);
        let mut pruned = 0;
        for q in QUERIES {
            let built = build(fixture, &searcher, q);
            if built.matches_all() {
                continue;
            }
            let expected = tantivy_scores(&built, &searcher, &map, problems);
            let exact: HashMap<DocAddress, Score> = (0..problems)
                .flat_map(|problem| units(&expected, &map, problem))
                .collect();
            let new = || {
                Evaluator::new(
                    &built.optional,
                    &searcher,
                    vocabulary,
                    &map,
                    problems,
                    SECOND,
                )
            };

            // Every leaf folded: Tantivy's scores, bit for bit, for the same units.
            let mut evaluator = new().expect("evaluator");
            let every = vec![true; evaluator.stats.len()];
            // Whole segments, then each in two ranges, as threads walk them.
            for split in [false, true] {
                let mut folded = HashMap::new();
                for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
                    let cut = if split { reader.max_doc() / 3 } else { 0 };
                    for range in [0..cut, cut..reader.max_doc()] {
                        fold(
                            &evaluator.open[ordinal],
                            &evaluator.shape,
                            &every,
                            range,
                            None,
                            &mut |doc, score, gain| {
                                assert_eq!(gain, 0.0, "{q}");
                                if map.segment(ordinal)[doc as usize] != NO_PROBLEM {
                                    let address = DocAddress::new(ordinal as u32, doc);
                                    assert!(folded.insert(address, score).is_none(), "{q}");
                                }
                            },
                        )
                        .expect("fold");
                    }
                }
                assert_eq!(folded, exact, "{q}: every leaf folded, split {split}");
            }

            // Some leaves left out: the partial score and its gain bound the exact score.
            let leaves = evaluator.stats.len();
            let masks: Vec<Vec<bool>> = vec![
                evaluator.essential.clone(),
                (0..leaves).map(|index| index % 2 == 0).collect(),
                (0..leaves).map(|index| index % 3 != 1).collect(),
                vec![false; leaves],
            ];
            for mask in &masks {
                let mut seen = BTreeSet::new();
                for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
                    let untouched = fold(
                        &evaluator.open[ordinal],
                        &evaluator.shape,
                        mask,
                        0..reader.max_doc(),
                        None,
                        &mut |doc, score, gain| {
                            let address = DocAddress::new(ordinal as u32, doc);
                            let Some(exact) = exact.get(&address) else {
                                return;
                            };
                            seen.insert(address);
                            assert!(score <= exact * (1.0 + 1e-5), "{q}: {score} > {exact}");
                            assert!(
                                *exact <= (score + gain) * (1.0 + 1e-5),
                                "{q}: {exact} > {score} + {gain}"
                            );
                        },
                    )
                    .expect("fold");
                    for (address, exact) in &exact {
                        if address.segment_ord as usize == ordinal && !seen.contains(address) {
                            assert!(*exact <= untouched * (1.0 + 1e-5), "{q}: untouched");
                        }
                    }
                }
            }

            // The problems that match, and the exact scores of every candidate.
            let matched = evaluator.matched().expect("matched").clone();
            let expected_matched: Vec<usize> =
                (0..problems).filter(|p| expected.scored(*p)).collect();
            assert_eq!(matched.iter().collect::<Vec<_>>(), expected_matched, "{q}");
            let everyone: Vec<usize> = (0..problems).collect();
            let scored = evaluator.score_candidates(&everyone).expect("candidates");
            for problem in 0..problems {
                assert_eq!(
                    units(&scored, &map, problem),
                    units(&expected, &map, problem),
                    "{q}: looked-up units of {problem}"
                );
            }

            // The first `count`: whatever the split, every problem that can rank is scored,
            // exactly.
            let mut by_score: Vec<Score> = expected_matched
                .iter()
                .map(|problem| expected.score(*problem, SECOND))
                .collect();
            by_score.sort_by(|a, b| b.total_cmp(a));
            for (count, split) in [1, 3, 10, 50].into_iter().flat_map(|count| {
                // Walked whole, and in parts (on this thread when there is no pool).
                [(count, (u64::MAX, 1)), (count, (0, 3))]
            }) {
                for mask in &masks {
                    let mut evaluator = new().expect("evaluator");
                    evaluator.split = split;
                    evaluator.essential.clone_from(mask);
                    evaluator.matched().expect("matched");
                    let top = evaluator.top(count, &matched).expect("top");
                    let floor = by_score.get(count - 1).copied().unwrap_or(0.0);
                    for problem in 0..problems {
                        if top.scored(problem) {
                            assert_eq!(
                                units(&top, &map, problem),
                                units(&expected, &map, problem),
                                "{q}: scores of {problem}"
                            );
                        } else if expected.scored(problem) {
                            assert!(expected.score(problem, SECOND) < floor, "{q}: {problem}");
                            pruned += 1;
                        }
                    }
                }
            }
        }
        assert!(pruned > 0, "some problem was left out without scoring");
    }

    #[test]
    fn parts_are_cut_at_windows() {
        let window = WINDOW;
        let big = [140_000, 308, 14];
        assert_eq!(
            parts(&big, 1),
            vec![vec![(0, 0..140_000), (1, 0..308), (2, 0..14)]]
        );
        assert_eq!(
            parts(&big, 2),
            vec![
                vec![(0, 0..18 * window)],
                vec![(0, 18 * window..140_000), (1, 0..308), (2, 0..14)],
            ]
        );
        let three = parts(&big, 3);
        assert_eq!(three.len(), 3);
        assert_eq!(three[0], vec![(0, 0..12 * window)]);
        assert_eq!(three[1], vec![(0, 12 * window..24 * window)]);
        // A segment smaller than a window is not split.
        assert_eq!(
            parts(&[100, 50], 2),
            vec![vec![(0, 0..100)], vec![(1, 0..50)]]
        );
        assert_eq!(parts(&[100], 2), vec![vec![(0, 0..100)]]);
        assert_eq!(parts(&[], 2), vec![Vec::<(usize, Range<DocId>)>::new()]);
    }

    #[tokio::test]
    async fn scores_as_tantivy_does_on_the_bundled_catalog() {
        check(&bundled().await);
    }

    #[tokio::test]
    async fn scores_as_tantivy_does_on_a_generated_catalog() {
        check(&generated().await);
    }
}
