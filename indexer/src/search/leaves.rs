//! The leaves of a query (see `clause.rs`), prepared once per search and opened on each
//! segment: which units a leaf matches and what it scores there, computed as Tantivy's own
//! scorers compute it (`TermScorer`, `ConstScorer`, `AutomatonWeight`, `PhraseScorer`).
//!
//! Reading postings directly, a block at a time, costs a fraction of Tantivy's nested unions,
//! and lets the evaluator visit only the leaves and the units that can change the page.

use std::ops::Range;
use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::query::{
    AutomatonWeight, BitSetDocSet, Bm25Weight, DfaWrapper, EnableScoring, FuzzyTermQuery,
    PhraseQuery, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

use super::clause::{Leaf, LeafKind};
use super::vocabulary::{Accepted, Vocabulary};

/// A leaf ready to open on any segment of one searcher.
pub struct PreparedLeaf {
    matcher: Matcher,
    scoring: Scoring,
}

/// Which units a prepared leaf matches.
enum Matcher {
    /// Units holding the term.
    Term(Term),
    /// Units holding a term of `field` that the automaton accepts (a fuzzy word or a prefix).
    Automaton(Field, AutomatonWeight<DfaWrapper>),
    /// Units holding any of these terms of one field (a fuzzy word, found in the vocabulary).
    Terms(Field, Vec<Term>),
    /// Units where the phrase occurs, through Tantivy's scorer.
    Phrase(Arc<dyn Weight>),
}

/// What a prepared leaf scores where it matches.
#[derive(Clone)]
enum Scoring {
    /// BM25 of the unit's frequency of the term and length of the field.
    Bm25(Bm25Weight),
    /// The same constant for every unit.
    Constant(Score),
    /// The phrase scorer's score, with this boost.
    Phrase(Score),
}

/// Automatons built so far in one search, by word, edits and prefix flag: the same word
/// is looked up in every weighted field, and a Levenshtein automaton is costly to build.
/// With a vocabulary, what a typo automaton accepts is found there, once per word.
#[derive(Default)]
pub struct Automatons<'v> {
    built: Vec<(Vec<u8>, u8, bool, Arc<DfaWrapper>)>,
    vocabulary: Option<&'v Vocabulary>,
    /// Per word and edits: the vocabulary's terms its automaton accepts.
    accepted: Vec<(Vec<u8>, u8, Arc<Accepted>)>,
}

impl<'v> Automatons<'v> {
    /// Automatons whose typos are looked for in `vocabulary`, when there is one.
    pub fn new(vocabulary: Option<&'v Vocabulary>) -> Automatons<'v> {
        Automatons {
            vocabulary,
            ..Automatons::default()
        }
    }

    fn get(&mut self, term: &Term, distance: u8, prefix: bool) -> tantivy::Result<Arc<DfaWrapper>> {
        let text = term.serialized_value_bytes();
        if let Some((.., automaton)) = self
            .built
            .iter()
            .find(|(word, d, p, _)| word == text && *d == distance && *p == prefix)
        {
            return Ok(automaton.clone());
        }
        let query = if prefix {
            FuzzyTermQuery::new_prefix(term.clone(), distance, true)
        } else {
            FuzzyTermQuery::new(term.clone(), distance, true)
        };
        let automaton = Arc::new(query.automaton()?);
        self.built
            .push((text.to_vec(), distance, prefix, automaton.clone()));
        Ok(automaton)
    }

    /// How a typo of `term` with up to `distance` edits is matched: the terms of its field
    /// that the vocabulary holds and the automaton accepts, or the automaton itself.
    fn typo(&mut self, term: &Term, distance: u8) -> tantivy::Result<Matcher> {
        let field = term.field();
        let automaton = self.get(term, distance, false)?;
        let Some((vocabulary, bit)) = self
            .vocabulary
            .and_then(|vocabulary| Some((vocabulary, vocabulary.bit(field)?)))
        else {
            return Ok(Matcher::Automaton(
                field,
                AutomatonWeight::new(field, automaton),
            ));
        };
        let text = term.serialized_value_bytes();
        let accepted = match self
            .accepted
            .iter()
            .find(|(word, d, _)| word == text && *d == distance)
        {
            Some((.., accepted)) => accepted.clone(),
            None => {
                let accepted = Arc::new(vocabulary.matching(&*automaton));
                self.accepted
                    .push((text.to_vec(), distance, accepted.clone()));
                accepted
            }
        };
        Ok(Matcher::Terms(
            field,
            accepted
                .iter()
                .filter(|(_, bits)| bits & bit != 0)
                .map(|(bytes, _)| Term::from_field_bytes(field, bytes))
                .collect(),
        ))
    }
}

impl PreparedLeaf {
    /// Prepares `leaf` of a clause of boost `boost`, with the statistics of `searcher`.
    pub fn new(
        leaf: &Leaf,
        boost: Score,
        searcher: &Searcher,
        automatons: &mut Automatons<'_>,
    ) -> tantivy::Result<PreparedLeaf> {
        Ok(match &leaf.kind {
            LeafKind::Term(term) => PreparedLeaf {
                matcher: Matcher::Term(term.clone()),
                // As `TermWeight::scorer` boosts its weight: by the product of the boosts
                // above it, the clause's then the field's.
                scoring: Scoring::Bm25(
                    Bm25Weight::for_terms(searcher, std::slice::from_ref(term))?
                        .boost_by(boost * leaf.weight),
                ),
            },
            LeafKind::Present(term) => PreparedLeaf {
                matcher: Matcher::Term(term.clone()),
                scoring: Scoring::Constant(leaf.constant(boost)),
            },
            LeafKind::Fuzzy { term, distance } => PreparedLeaf {
                matcher: automatons.typo(term, *distance)?,
                scoring: Scoring::Constant(leaf.constant(boost)),
            },
            LeafKind::Prefix(term) => PreparedLeaf {
                matcher: {
                    // A prefix is looked for in each dictionary: the many words a short one
                    // begins would each be looked up in every field of every segment.
                    let automaton = automatons.get(term, 0, true)?;
                    Matcher::Automaton(term.field(), AutomatonWeight::new(term.field(), automaton))
                },
                scoring: Scoring::Constant(leaf.constant(boost)),
            },
            LeafKind::Phrase(terms) => PreparedLeaf {
                matcher: Matcher::Phrase(Arc::from(
                    PhraseQuery::new(terms.clone())
                        .weight(EnableScoring::enabled_from_searcher(searcher))?,
                )),
                scoring: Scoring::Phrase(boost * leaf.weight),
            },
        })
    }

    /// The term it matches, when it matches exactly one.
    pub fn term(&self) -> Option<&Term> {
        match &self.matcher {
            Matcher::Term(term) => Some(term),
            _ => None,
        }
    }

    /// Opens the leaf on one segment.
    pub fn open<'a>(&self, reader: &'a SegmentReader) -> tantivy::Result<SegmentLeaf<'a>> {
        let (field, terms) = match &self.matcher {
            Matcher::Term(term) => {
                let inverted = reader.inverted_index(term.field())?;
                let terms: Vec<TermInfo> = inverted.get_term_info(term)?.into_iter().collect();
                (Some(term.field()), terms)
            }
            Matcher::Automaton(field, weight) => {
                (Some(*field), weight.get_match_term_infos(reader)?)
            }
            Matcher::Terms(field, terms) => {
                let inverted = reader.inverted_index(*field)?;
                let mut infos = Vec::new();
                for term in terms {
                    infos.extend(inverted.get_term_info(term)?);
                }
                (Some(*field), infos)
            }
            Matcher::Phrase(_) => (None, Vec::new()),
        };
        let scoring = match (&self.matcher, &self.scoring, field) {
            (Matcher::Phrase(weight), Scoring::Phrase(boost), _) => {
                SegmentScoring::Phrase(weight.clone(), *boost)
            }
            (_, Scoring::Bm25(weight), Some(field)) => SegmentScoring::Bm25 {
                weight: weight.clone(),
                // As `TermWeight` reads them.
                norms: reader
                    .fieldnorms_readers()
                    .get_field(field)?
                    .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)),
            },
            (_, Scoring::Constant(score) | Scoring::Phrase(score), _) => {
                SegmentScoring::Constant(*score)
            }
            (_, Scoring::Bm25(_), None) => SegmentScoring::Constant(0.0),
        };
        let doc_freq = match scoring {
            // A phrase reads the postings of all its words: assume it may match anything.
            SegmentScoring::Phrase(..) => u64::from(reader.max_doc()),
            _ => terms.iter().map(|info| u64::from(info.doc_freq)).sum(),
        };
        Ok(SegmentLeaf {
            reader,
            field,
            terms,
            scoring,
            doc_freq,
        })
    }
}

/// What an opened leaf scores where it matches.
enum SegmentScoring {
    Bm25 {
        weight: Bm25Weight,
        norms: FieldNormReader,
    },
    Constant(Score),
    Phrase(Arc<dyn Weight>, Score),
}

/// A leaf opened on one segment.
pub struct SegmentLeaf<'a> {
    reader: &'a SegmentReader,
    /// The field of its terms (none for a phrase).
    field: Option<Field>,
    /// The terms it matches in this segment (none for a phrase).
    terms: Vec<TermInfo>,
    scoring: SegmentScoring,
    /// Postings it reads: what walking it costs, and the most units it may match.
    pub doc_freq: u64,
}

impl SegmentLeaf<'_> {
    /// The highest score it may give a unit (infinite for a phrase, which tells none).
    pub fn max_score(&self) -> Score {
        match &self.scoring {
            SegmentScoring::Phrase(..) => Score::INFINITY,
            _ if self.terms.is_empty() => 0.0,
            // Holds because a term occurs at most as often as its field has tokens.
            SegmentScoring::Bm25 { weight, .. } => weight.max_score(),
            SegmentScoring::Constant(score) => *score,
        }
    }

    /// Its score, when the same for every unit it matches.
    pub fn constant(&self) -> Option<Score> {
        match self.scoring {
            SegmentScoring::Constant(score) => Some(score),
            _ => None,
        }
    }

    fn postings(&self, info: &TermInfo, scored: bool) -> tantivy::Result<BlockSegmentPostings> {
        let Some(field) = self.field else {
            return Ok(BlockSegmentPostings::empty());
        };
        let option = if scored {
            IndexRecordOption::WithFreqs
        } else {
            IndexRecordOption::Basic
        };
        Ok(self
            .reader
            .inverted_index(field)?
            .read_block_postings_from_terminfo(info, option)?)
    }

    /// Calls `f` with the units it matches, a block at a time, without scoring them; a unit
    /// held by several of its terms comes once per term.
    pub fn for_each_doc(&self, f: &mut impl FnMut(&[DocId])) -> tantivy::Result<()> {
        if let SegmentScoring::Phrase(weight, boost) = &self.scoring {
            let mut scorer = weight.scorer(self.reader, *boost)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                f(&[doc]);
                doc = scorer.advance();
            }
            return Ok(());
        }
        for info in &self.terms {
            let mut postings = self.postings(info, false)?;
            loop {
                let docs = postings.docs();
                if docs.is_empty() {
                    break;
                }
                f(docs);
                postings.advance();
            }
        }
        Ok(())
    }

    /// A cursor over the units of `range` it matches, in doc order, with their scores. With
    /// `look_up`, it will mostly be asked for a few units, not walked.
    pub fn cursor(&self, look_up: bool, range: Range<DocId>) -> tantivy::Result<LeafCursor> {
        let mut cursor = self.cursor_from_start(look_up, &range)?;
        if range.start > 0 {
            cursor.skip_to(range.start);
        }
        Ok(cursor)
    }

    fn cursor_from_start(
        &self,
        look_up: bool,
        range: &Range<DocId>,
    ) -> tantivy::Result<LeafCursor> {
        let single = |scored: bool| -> tantivy::Result<Block> {
            Ok(match self.terms.as_slice() {
                [info] => Block::new(self.postings(info, scored)?),
                _ => Block::new(BlockSegmentPostings::empty()),
            })
        };
        Ok(match &self.scoring {
            SegmentScoring::Phrase(weight, boost) => {
                LeafCursor::Phrase(weight.scorer(self.reader, *boost)?)
            }
            SegmentScoring::Bm25 { weight, norms } => LeafCursor::Bm25 {
                block: single(true)?,
                norms: norms.clone(),
                weight: weight.clone(),
            },
            SegmentScoring::Constant(score) if self.terms.len() <= 1 => LeafCursor::Constant {
                block: single(false)?,
                score: *score,
            },
            // Gathering every unit of every term is not worth it for a few look-ups.
            SegmentScoring::Constant(score) if look_up => LeafCursor::Terms {
                blocks: self
                    .terms
                    .iter()
                    .map(|info| Ok(Block::new(self.postings(info, false)?)))
                    .collect::<tantivy::Result<_>>()?,
                score: *score,
            },
            SegmentScoring::Constant(score) => {
                // Several terms may hold the same unit; like `AutomatonWeight`, gather them
                // in a bitset so that each unit counts once.
                let mut set = BitSet::with_max_value(self.reader.max_doc());
                for info in &self.terms {
                    let mut block = Block::new(self.postings(info, false)?);
                    let mut doc = block.seek(range.start);
                    while doc < range.end {
                        set.insert(doc);
                        block.index += 1;
                        doc = block.doc();
                    }
                }
                LeafCursor::Set {
                    docs: BitSetDocSet::from(set),
                    score: *score,
                }
            }
        })
    }
}

/// Postings read a block at a time, with a position in the current block.
pub struct Block {
    postings: BlockSegmentPostings,
    index: usize,
}

impl Block {
    fn new(postings: BlockSegmentPostings) -> Block {
        Block { postings, index: 0 }
    }

    /// The current doc, or `TERMINATED`.
    fn doc(&mut self) -> DocId {
        loop {
            let docs = self.postings.docs();
            if let Some(doc) = docs.get(self.index) {
                return *doc;
            }
            if docs.is_empty() {
                return TERMINATED;
            }
            self.postings.advance();
            self.index = 0;
        }
    }

    /// Moves to the first doc at or after `target`, and returns it (or `TERMINATED`).
    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() >= target {
            return self.doc();
        }
        self.index = self.postings.seek(target);
        self.doc()
    }
}

/// Walks the units a leaf matches in one segment, in doc order, with their scores: the
/// postings of its term (BM25 or a constant), the units of its terms (a constant), or
/// Tantivy's phrase scorer.
pub enum LeafCursor {
    /// A BM25 leaf.
    Bm25 {
        /// Its term's postings.
        block: Block,
        /// Field lengths.
        norms: FieldNormReader,
        /// The BM25 weight, boosted.
        weight: Bm25Weight,
    },
    /// A constant leaf of one term.
    Constant {
        /// The term's postings.
        block: Block,
        /// The constant.
        score: Score,
    },
    /// A constant leaf of several terms, looked up in each.
    Terms {
        /// Each term's postings.
        blocks: Vec<Block>,
        /// The constant.
        score: Score,
    },
    /// A constant leaf of several terms, walked.
    Set {
        /// Units holding one of them.
        docs: BitSetDocSet,
        /// The constant.
        score: Score,
    },
    /// A phrase.
    Phrase(Box<dyn Scorer>),
}

impl LeafCursor {
    /// Calls `f` with every unit below `end` not walked yet, and its score.
    pub fn for_each_until(&mut self, end: DocId, f: &mut impl FnMut(DocId, Score)) {
        match self {
            LeafCursor::Bm25 {
                block,
                norms,
                weight,
            } => loop {
                if block.doc() >= end {
                    return;
                }
                let docs = block.postings.docs();
                let freqs = block.postings.freqs();
                while let Some(doc) = docs.get(block.index).copied() {
                    if doc >= end {
                        return;
                    }
                    f(
                        doc,
                        weight.score(norms.fieldnorm_id(doc), freqs[block.index]),
                    );
                    block.index += 1;
                }
            },
            LeafCursor::Constant { block, score } => loop {
                if block.doc() >= end {
                    return;
                }
                let docs = block.postings.docs();
                while let Some(doc) = docs.get(block.index).copied() {
                    if doc >= end {
                        return;
                    }
                    f(doc, *score);
                    block.index += 1;
                }
            },
            LeafCursor::Set { docs, score } => {
                while docs.doc() < end {
                    f(docs.doc(), *score);
                    docs.advance();
                }
            }
            LeafCursor::Terms { blocks, score } => {
                // Rarely walked: in doc order, each unit once.
                loop {
                    let doc = blocks
                        .iter_mut()
                        .map(Block::doc)
                        .min()
                        .unwrap_or(TERMINATED);
                    if doc >= end {
                        return;
                    }
                    f(doc, *score);
                    for block in blocks.iter_mut() {
                        block.seek(doc + 1);
                    }
                }
            }
            LeafCursor::Phrase(scorer) => {
                while scorer.doc() < end {
                    f(scorer.doc(), scorer.score());
                    scorer.advance();
                }
            }
        }
    }

    /// The score of `doc` if the leaf matches it; the cursor moves to `doc` or past it.
    /// `doc` must not be below a doc asked for or walked before.
    pub fn score_at(&mut self, doc: DocId) -> Option<Score> {
        match self {
            LeafCursor::Bm25 {
                block,
                norms,
                weight,
            } => (block.seek(doc) == doc).then(|| {
                let freq = block.postings.freqs()[block.index];
                weight.score(norms.fieldnorm_id(doc), freq)
            }),
            LeafCursor::Constant { block, score } => (block.seek(doc) == doc).then_some(*score),
            LeafCursor::Terms { blocks, score } => {
                let mut found = false;
                for block in blocks.iter_mut() {
                    found |= block.seek(doc) == doc;
                }
                found.then_some(*score)
            }
            LeafCursor::Set { docs, score } => {
                if docs.doc() < doc {
                    docs.seek(doc);
                }
                (docs.doc() == doc).then_some(*score)
            }
            LeafCursor::Phrase(scorer) => {
                if scorer.doc() < doc {
                    scorer.seek(doc);
                }
                (scorer.doc() == doc).then(|| scorer.score())
            }
        }
    }

    /// Moves to the first unit at or after `target` without scoring the ones skipped.
    pub fn skip_to(&mut self, target: DocId) {
        match self {
            LeafCursor::Bm25 { block, .. } | LeafCursor::Constant { block, .. } => {
                block.seek(target);
            }
            LeafCursor::Terms { blocks, .. } => {
                for block in blocks {
                    block.seek(target);
                }
            }
            LeafCursor::Set { docs, .. } => {
                if docs.doc() < target {
                    docs.seek(target);
                }
            }
            LeafCursor::Phrase(scorer) => {
                if scorer.doc() < target {
                    scorer.seek(target);
                }
            }
        }
    }
}
