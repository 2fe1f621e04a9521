//! The read side of search: one open generation, queried in-process.
//!
//! A search runs the query over problem documents with Tantivy's scorers (every matching
//! problem is scored: the total and the facet counts need them all, and a catalog holds
//! thousands of problems, not millions), multiplies each score by the share of the query the
//! problem covers, filters, and orders. Only the problems of the page are then read: their
//! best sections by a second query over their own sections, and snippets by Tantivy's
//! `SnippetGenerator` with an analyzer that stems only the words that may match (see
//! `snippets.rs`).

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;
use sqlx::Row;
use tantivy::DocSet;
use tantivy::directory::MmapDirectory;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, BooleanQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, DocId, Index, IndexReader, ReloadPolicy, Score, Searcher, TantivyDocument, Term,
};

use super::facets::{FacetTable, Facets, Filters, ProblemSet};
use super::query::{BuiltQuery, QueryBuilder, parse_query};
use super::ranking::Ranking;
use super::schema::{SearchSchema, TOKENIZER, problem_key};
use super::stats::IndexStats;
use crate::config::Config;
use crate::store::{Generation, open_read_only};
use crate::{Error, Result};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 180;
/// Sections listed under a hit.
const SECTIONS_PER_HIT: usize = 3;

/// What is known of a problem without reading the index.
#[derive(Debug, Clone)]
struct ProblemMeta {
    id: String,
    slug: String,
    title: String,
    summary: Option<String>,
    category: Option<String>,
    domain: Option<String>,
    industry: Option<String>,
    difficulty: Option<String>,
    tags: Vec<String>,
    companies: Vec<String>,
}

impl ProblemMeta {
    /// Its values per facet, in the order of `facets::FACETS`.
    fn facet_values(&self) -> [Vec<&str>; 6] {
        [
            one(&self.category),
            one(&self.domain),
            one(&self.industry),
            one(&self.difficulty),
            self.tags.iter().map(String::as_str).collect(),
            self.companies.iter().map(String::as_str).collect(),
        ]
    }
}

/// A search.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query text.
    pub q: String,
    /// Filters.
    pub filters: Filters,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Include the score breakdown of each hit.
    pub explain: bool,
    /// Only which problems match and how well: no snippets or sections (triage ranks with the
    /// search and shows none of them; building them is most of a short query's time).
    pub ids_only: bool,
    /// Ranks with these knobs instead of the engine's `[search.ranking]` (triage matches
    /// statements of what people observe, and weighs the symptoms higher).
    pub ranking: Option<Ranking>,
}

/// A matching section of a hit.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionHit {
    /// Heading.
    pub heading: String,
    /// Anchor.
    pub anchor: String,
    /// Highlighted snippet (HTML, `<b>` around matches).
    pub snippet: String,
}

/// A problem that matches.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    /// Id.
    pub id: String,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Category.
    pub category: Option<String>,
    /// Domain.
    pub domain: Option<String>,
    /// Difficulty.
    pub difficulty: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Relevance score.
    pub score: f32,
    /// Highlighted snippet of the best unit (HTML, `<b>` around matches).
    pub snippet: String,
    /// Best-matching sections, best first.
    pub sections: Vec<SectionHit>,
    /// Score breakdown, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub explanation: Option<serde_json::Value>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    /// The query as given.
    pub query: String,
    /// The page of hits.
    pub hits: Vec<Hit>,
    /// Exact number of matching problems.
    pub total: usize,
    /// Facet counts (OR within a facet, AND across facets).
    pub facets: Facets,
    /// Time spent, in milliseconds.
    pub took_ms: f64,
}

/// How often the first word's positions are within `slop` of the second's (given one less),
/// each position used once: Tantivy's count for a sloppy phrase of two terms.
fn near_count(left: &[u32], right: &[u32], slop: u32) -> u32 {
    let (mut l, mut r, mut count) = (0, 0, 0);
    while l < left.len() && r < right.len() {
        let (left_at, right_at) = (left[l], right[r]);
        if left_at.abs_diff(right_at) <= slop {
            while l + 1 < left.len() && left[l + 1] <= right_at {
                l += 1;
            }
            count += 1;
            l += 1;
            r += 1;
        } else if left_at < right_at {
            l += 1;
        } else {
            r += 1;
        }
    }
    count
}

/// By default, an index of at least this many documents is scored by two threads.
const SPLIT_DOCS: u32 = 50_000;

/// A page of at least this many hits is read by two threads.
const PARALLEL_PAGE: usize = 4;

/// How many leading candidates get the proximity score, at least.
const RERANKED: usize = 40;

/// A matching problem: its ordinal, its score, its document and the share of the query it
/// covers.
#[derive(Debug, Clone, Copy)]
struct Matched {
    problem: usize,
    score: Score,
    /// The part of `score` that proximity added.
    proximity: Score,
    doc: Option<DocAddress>,
    coverage: f32,
}

/// BM25 statistics over one kind of document, with each field's average length taken over
/// the documents that hold it. Tantivy divides a field's tokens by every document of the
/// index: problems and sections share one, and most problems have no symptoms, so a field's
/// average came out a fraction of its true length and every symptom list looked long.
struct Statistics<'a> {
    searcher: &'a Searcher,
    docs: u64,
    stats: &'a IndexStats,
}

impl tantivy::query::Bm25StatisticsProvider for Statistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let stats = self.stats.fields.get(&field).copied().unwrap_or_default();
        let (tokens, holders) = (stats.tokens, stats.holders.max(1));
        // Tantivy divides by `total_num_docs`: scaled so that the quotient is per holder.
        Ok((tokens as f64 * self.docs.max(1) as f64 / holders as f64).round() as u64)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs.max(1))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        // Deleted documents count in a segment until it is merged: they are taken off.
        let mut frequency = self.searcher.doc_freq(term)?;
        if !self.stats.dead.is_empty() {
            let key = (term.field(), term.serialized_value_bytes().to_vec());
            frequency = frequency.saturating_sub(self.stats.dead.get(&key).copied().unwrap_or(0));
        }
        // Never more documents than there are (Tantivy asserts on it).
        Ok(frequency.min(self.docs.max(1)))
    }
}

/// One open generation, ready to answer searches.
pub struct SearchEngine {
    schema: SearchSchema,
    index: Index,
    reader: IndexReader,
    problems: Vec<ProblemMeta>,
    by_key: HashMap<u64, usize>,
    /// Per problem: its rank by title, the order of equal scores.
    title_rank: Vec<u32>,
    facets: FacetTable,
    synonyms: Vec<Vec<String>>,
    ranking: Ranking,
    /// An index of at least this many documents is scored by two threads.
    split_docs: u32,
    /// Exact statistics over live documents.
    stats: IndexStats,
    /// Per problem, whether it is a problem write-up, when `[search] problems` says.
    writeups: Option<Vec<bool>>,
    /// The generation it reads.
    pub generation: Generation,
}

impl SearchEngine {
    /// Opens a generation read-only, ranking as `[search.ranking]` of `config` says.
    pub async fn open(generation: &Generation, config: &Config) -> Result<SearchEngine> {
        let dir = generation.tantivy_dir();
        let directory = MmapDirectory::open(&dir).map_err(|err| Error::store(&dir, err))?;
        let index = Index::open(directory).map_err(|err| Error::store(&dir, err))?;
        let schema = SearchSchema::new();
        if index.schema() != schema.schema {
            return Err(Error::store(
                &dir,
                "the search index was built by another version of catalog; run `catalog index --full`",
            ));
        }
        super::stems::register_for_search(&index);
        // Manual: the engine reads one generation for its whole life.
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|err| Error::store(&dir, err))?;
        let problems = load_problems(generation).await?;
        let by_key: HashMap<u64, usize> = problems
            .iter()
            .enumerate()
            .map(|(index, problem)| (problem_key(&problem.id), index))
            .collect();
        let mut by_title: Vec<usize> = (0..problems.len()).collect();
        by_title.sort_by(|a, b| problems[*a].title.cmp(&problems[*b].title));
        let mut title_rank = vec![0; problems.len()];
        for (rank, problem) in by_title.into_iter().enumerate() {
            title_rank[problem] = rank as u32;
        }
        let mut facets = FacetTable::default();
        for problem in &problems {
            facets.push(problem.facet_values());
        }
        let stats = IndexStats::open(&reader.searcher(), &schema, &generation.search_stats_path())
            .map_err(|err| Error::store(&dir, err))?;
        let writeups = config.problem_writeups(problems.iter().map(|problem| problem.id.as_str()));
        Ok(SearchEngine {
            stats,
            writeups,
            schema,
            index,
            reader,
            problems,
            by_key,
            title_rank,
            facets,
            synonyms: config.synonym_groups(),
            ranking: config.raw.search.ranking.clone(),
            split_docs: SPLIT_DOCS,
            generation: generation.clone(),
        })
    }

    /// The Tantivy index and a searcher of it, for benchmarks that compare a plain Tantivy
    /// query with this engine on the same index.
    pub fn tantivy(&self) -> (&Index, Searcher) {
        (&self.index, self.reader.searcher())
    }

    /// The first filter value that no problem of the generation has: (filter, value, the
    /// values the filter does have, sorted).
    pub fn unknown_filter(&self, filters: &Filters) -> Option<(&'static str, String, Vec<String>)> {
        self.facets.unknown(filters)
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.problems.len()
    }

    /// Whether the generation holds no problem.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// The ranking in use.
    pub fn ranking(&self) -> &Ranking {
        &self.ranking
    }

    /// Ranks with other weights from now on (for tuning; a server takes them from
    /// catalog.toml).
    pub fn set_ranking(&mut self, ranking: Ranking) {
        self.ranking = ranking;
    }

    /// Scores with two threads from `documents` documents in the index on (tests use it to
    /// check that both ways rank alike).
    #[doc(hidden)]
    pub fn set_split_docs(&mut self, documents: u32) {
        self.split_docs = documents;
    }

    /// Statistics over problem documents.
    fn problem_statistics<'a>(&'a self, searcher: &'a Searcher) -> Statistics<'a> {
        Statistics {
            searcher,
            docs: self.problems.len() as u64,
            stats: &self.stats,
        }
    }

    /// Statistics over section documents.
    fn section_statistics<'a>(&'a self, searcher: &'a Searcher) -> Statistics<'a> {
        Statistics {
            searcher,
            docs: searcher
                .num_docs()
                .saturating_sub(self.problems.len() as u64),
            stats: &self.stats,
        }
    }

    fn fail(&self, err: impl std::fmt::Display) -> Error {
        Error::store(self.generation.tantivy_dir(), err)
    }

    /// Runs a search. Never fails on the query text: bad syntax is read as plain words.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let plan = parse_query(&request.q);
        let ranking = request.ranking.as_ref().unwrap_or(&self.ranking);
        let analyzer = self
            .index
            .tokenizers()
            .get(TOKENIZER)
            .ok_or_else(|| self.fail("no en_stem tokenizer"))?;
        let built = QueryBuilder {
            schema: &self.schema,
            analyzer,
            synonyms: &self.synonyms,
            searcher: &searcher,
            dead: &self.stats.dead,
            ranking,
        }
        .build(&plan);
        let n = self.problems.len();
        let mut matched = match &built.problems {
            Some(query) => self.score(&searcher, &built, &**query, ranking)?,
            None => (0..n)
                .map(|problem| Matched {
                    problem,
                    score: 0.0,
                    proximity: 0.0,
                    doc: None,
                    coverage: 0.0,
                })
                .collect(),
        };
        for entry in &mut matched {
            entry.score *= self.prior(entry.problem, ranking);
        }
        let excluded = match &built.excluded {
            Some(query) => self.matching(&searcher, &**query)?,
            None => ProblemSet::new(n),
        };
        let filters = self.facets.resolve(&request.filters);
        let mut counter = self.facets.counter();
        let mut ranked: Vec<Matched> = Vec::new();
        for entry in matched
            .into_iter()
            .filter(|entry| !excluded.contains(entry.problem))
        {
            let failed = if filters.is_empty() {
                0
            } else {
                filters.failed(&self.facets, entry.problem)
            };
            counter.add(entry.problem, failed);
            if failed == 0 {
                ranked.push(entry);
            }
        }
        let total = ranked.len();
        let end = request.offset.saturating_add(request.limit).min(total);
        if !built.proximity.is_empty() {
            self.add_proximity(&searcher, &built.proximity, &mut ranked, end, ranking)?;
        }
        // Only the page needs ordering: select its end, then sort what comes before.
        let order = |a: &Matched, b: &Matched| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| self.title_rank[a.problem].cmp(&self.title_rank[b.problem]))
        };
        if end > 0 && end < ranked.len() {
            ranked.select_nth_unstable_by(end - 1, order);
        }
        ranked.truncate(end);
        ranked.sort_unstable_by(order);
        let page: Vec<Matched> = ranked.into_iter().skip(request.offset).collect();
        let hits = if request.ids_only {
            page.iter().map(|entry| self.bare_hit(entry)).collect()
        } else {
            self.hits(&searcher, &built, page, request.explain.then_some(ranking))?
        };
        Ok(SearchResponse {
            query: request.q.clone(),
            hits,
            total,
            facets: counter.finish(),
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// The factor on a problem's score: `problem_prior` for a problem write-up on a site where
    /// `[search] problems` names them, else 1.
    fn prior(&self, problem: usize, ranking: &Ranking) -> f32 {
        match &self.writeups {
            Some(writeups) if writeups.get(problem).copied().unwrap_or(false) => {
                ranking.problem_prior
            }
            _ => 1.0,
        }
    }

    /// Every problem that matches `query`, scored, times the share of the query it covers.
    fn score(
        &self,
        searcher: &Searcher,
        built: &BuiltQuery,
        query: &dyn Query,
        ranking: &Ranking,
    ) -> Result<Vec<Matched>> {
        let statistics = self.problem_statistics(searcher);
        let weight = query
            .weight(EnableScoring::enabled_from_statistics_provider(
                &statistics,
                searcher,
            ))
            .map_err(|err| self.fail(err))?;
        // How much each word of the query is worth toward coverage: its rarity, raised to
        // `rarity`. Counted as BM25 counts it: deleted documents, until their segment
        // is merged, would make a common word appear in more problems than there are, its
        // worth negative and a problem's coverage (raised to a fractional power) not a number.
        let total_docs = self.problems.len().max(1) as f32;
        let rarity = built.coverage_rarity(ranking);
        let worth: Vec<f32> = built
            .coverage
            .iter()
            .map(|terms| {
                let frequency = terms
                    .iter()
                    .map(|term| {
                        tantivy::query::Bm25StatisticsProvider::doc_freq(&statistics, term)
                            .unwrap_or(0)
                    })
                    .max()
                    .unwrap_or(0) as f32;
                (1.0 + (total_docs - frequency + 0.5) / (frequency + 0.5))
                    .ln()
                    .powf(rarity)
            })
            .collect();
        let all_worth: f32 = worth.iter().sum();
        // Parts of segments, each scored on its own; past `split_docs` documents, large
        // segments are cut in two and the parts shared between two threads.
        let readers = searcher.segment_readers();
        let total: u32 = readers.iter().map(|reader| reader.max_doc()).sum();
        let split = total >= self.split_docs;
        let mut parts: Vec<(usize, std::ops::Range<DocId>)> = Vec::new();
        for (ordinal, reader) in readers.iter().enumerate() {
            let size = reader.max_doc();
            if split && size >= self.split_docs / 2 {
                parts.push((ordinal, 0..size / 2));
                parts.push((ordinal, size / 2..size));
            } else if size > 0 {
                parts.push((ordinal, 0..size));
            }
        }
        let score_parts = |parts: &[(usize, std::ops::Range<DocId>)]| -> Result<Vec<Matched>> {
            let mut matched = Vec::new();
            for (ordinal, range) in parts {
                self.score_part(
                    searcher,
                    &*weight,
                    (&built.coverage, &worth, all_worth, ranking.coverage_power),
                    *ordinal,
                    range.clone(),
                    &mut matched,
                )?;
            }
            Ok(matched)
        };
        if !split {
            return score_parts(&parts);
        }
        // Largest parts first, each to the thread with less work so far.
        parts.sort_by_key(|(_, range)| std::cmp::Reverse(range.len()));
        let (mut mine, mut theirs) = (Vec::new(), Vec::new());
        let (mut my_docs, mut their_docs) = (0, 0);
        for part in parts {
            if my_docs <= their_docs {
                my_docs += part.1.len();
                mine.push(part);
            } else {
                their_docs += part.1.len();
                theirs.push(part);
            }
        }
        self.on_two_threads(|| score_parts(&mine), || score_parts(&theirs))
    }

    /// Runs `first` here and `second` on a scoped thread; their results, in that order.
    fn on_two_threads<T: Send>(
        &self,
        first: impl FnOnce() -> Result<Vec<T>>,
        second: impl FnOnce() -> Result<Vec<T>> + Send,
    ) -> Result<Vec<T>> {
        std::thread::scope(|scope| {
            let other = scope.spawn(second);
            let mut out = first()?;
            let rest = other
                .join()
                .map_err(|_| self.fail("a search thread panicked"))??;
            out.extend(rest);
            Ok(out)
        })
    }

    /// Scores the matches of one part of a segment into `matched`, times the share of the
    /// query each covers (`coverage`: the words, their worth, its sum and the power it is raised
    /// to).
    fn score_part(
        &self,
        searcher: &Searcher,
        weight: &dyn tantivy::query::Weight,
        coverage: (&[Vec<Term>], &[f32], f32, f32),
        ordinal: usize,
        range: std::ops::Range<DocId>,
        matched: &mut Vec<Matched>,
    ) -> Result<()> {
        let (words, worth, all_worth, power) = coverage;
        let reader = searcher.segment_reader(ordinal as u32);
        let keys = reader
            .fast_fields()
            .u64("key")
            .map_err(|err| self.fail(err))?;
        let covered = self.covered(reader, words, worth, range.clone())?;
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0).map_err(|err| self.fail(err))?;
        let mut doc = scorer.doc();
        if doc < range.start {
            doc = scorer.seek(range.start);
        }
        while doc < range.end {
            let live = !alive.is_some_and(|alive| alive.is_deleted(doc));
            if let Some(problem) = keys
                .first(doc)
                .filter(|_| live)
                .and_then(|key| self.by_key.get(&key))
            {
                let coverage = if all_worth > 0.0 {
                    covered[(doc - range.start) as usize] / all_worth
                } else {
                    1.0
                };
                matched.push(Matched {
                    problem: *problem,
                    proximity: 0.0,
                    score: scorer.score() * coverage.powf(power),
                    doc: Some(DocAddress::new(ordinal as u32, doc)),
                    coverage,
                });
            }
            doc = scorer.advance();
        }
        Ok(())
    }

    /// Adds the proximity score to the leading candidates: the best [`RERANKED`] (or four
    /// times the page's end) by their score so far, whose order it can change. For each pair
    /// of neighbouring query words and each prose field, the pair's occurrences within
    /// `proximity_slop` positions are scored as Tantivy scores a sloppy phrase (BM25 over the
    /// summed idf of both words), fields combined as a dismax with `field_tie`. Only the
    /// candidates' positions are read: seeking a phrase scorer to each would test the phrase
    /// on every document between them.
    fn add_proximity(
        &self,
        searcher: &Searcher,
        pairs: &[[String; 2]],
        ranked: &mut [Matched],
        end: usize,
        ranking: &Ranking,
    ) -> Result<()> {
        let leading = RERANKED.max(end.saturating_mul(4)).min(ranked.len());
        if leading == 0 {
            return Ok(());
        }
        if leading < ranked.len() {
            ranked.select_nth_unstable_by(leading - 1, |a, b| b.score.total_cmp(&a.score));
        }
        let candidates = &mut ranked[..leading];
        candidates.sort_unstable_by_key(|entry| entry.doc);
        let fields: Vec<(Field, f32)> = self
            .schema
            .weighted_fields(ranking)
            .into_iter()
            .filter(|(field, weight)| *field != self.schema.tags && *weight > 0.0)
            .collect();
        let statistics = self.problem_statistics(searcher);
        let terms = |pair: &[String; 2], field: Field| {
            [
                Term::from_field_text(field, &pair[0]),
                Term::from_field_text(field, &pair[1]),
            ]
        };
        // weights[pair][field]
        let mut weights: Vec<Vec<Bm25Weight>> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            let mut per_field = Vec::with_capacity(fields.len());
            for (field, weight) in &fields {
                let bm25 = Bm25Weight::for_terms(&statistics, &terms(pair, *field))
                    .map_err(|err| self.fail(err))?;
                per_field.push(bm25.boost_by(weight * ranking.proximity));
            }
            weights.push(per_field);
        }
        let power = ranking.coverage_power;
        let mut left = Vec::new();
        let mut right = Vec::new();
        let mut start = 0;
        while start < candidates.len() {
            let Some(segment) = candidates[start].doc.map(|doc| doc.segment_ord) else {
                start += 1;
                continue;
            };
            let stop = start
                + candidates[start..]
                    .iter()
                    .take_while(|entry| entry.doc.map(|doc| doc.segment_ord) == Some(segment))
                    .count();
            let reader = searcher.segment_reader(segment);
            let mut postings: Vec<Vec<Option<[SegmentPostings; 2]>>> = Vec::new();
            let mut norms = Vec::with_capacity(fields.len());
            for (field, _) in &fields {
                norms.push(
                    reader
                        .get_fieldnorms_reader(*field)
                        .map_err(|err| self.fail(err))?,
                );
            }
            for pair in pairs {
                let mut per_field = Vec::with_capacity(fields.len());
                for (field, _) in &fields {
                    let inverted = reader
                        .inverted_index(*field)
                        .map_err(|err| self.fail(err))?;
                    let [first, second] = terms(pair, *field);
                    let read = |term: &Term| {
                        inverted
                            .read_postings(term, IndexRecordOption::WithFreqsAndPositions)
                            .map_err(|err| self.fail(err))
                    };
                    per_field.push(match (read(&first)?, read(&second)?) {
                        (Some(a), Some(b)) => Some([a, b]),
                        _ => None,
                    });
                }
                postings.push(per_field);
            }
            for entry in &mut candidates[start..stop] {
                let Some(address) = entry.doc else { continue };
                let doc = address.doc_id;
                let mut total = 0.0;
                for (pair, per_field) in postings.iter_mut().enumerate() {
                    let (mut best, mut sum) = (0.0f32, 0.0f32);
                    for (index, both) in per_field.iter_mut().enumerate() {
                        let Some([a, b]) = both else { continue };
                        if a.doc() < doc {
                            a.seek(doc);
                        }
                        if b.doc() < doc {
                            b.seek(doc);
                        }
                        if a.doc() != doc || b.doc() != doc {
                            continue;
                        }
                        a.positions_with_offset(1, &mut left);
                        b.positions_with_offset(0, &mut right);
                        let count = near_count(&left, &right, ranking.proximity_slop);
                        if count > 0 {
                            let score =
                                weights[pair][index].score(norms[index].fieldnorm_id(doc), count);
                            best = best.max(score);
                            sum += score;
                        }
                    }
                    total += best + ranking.field_tie * (sum - best);
                }
                entry.proximity =
                    total * entry.coverage.powf(power) * self.prior(entry.problem, ranking);
                entry.score += entry.proximity;
            }
            start = stop;
        }
        Ok(())
    }

    /// Per document of a part of a segment (indexed from `range.start`): the worth of the
    /// query words it holds.
    fn covered(
        &self,
        reader: &tantivy::SegmentReader,
        words: &[Vec<tantivy::Term>],
        worth: &[f32],
        range: std::ops::Range<DocId>,
    ) -> Result<Vec<f32>> {
        let inverted = reader
            .inverted_index(self.schema.all)
            .map_err(|err| self.fail(err))?;
        let size = range.len();
        let mut covered = vec![0.0f32; size];
        // The last word that counted each document: a word's alternatives count it once.
        let mut counted = vec![u32::MAX; size];
        for (index, (terms, worth)) in words.iter().zip(worth).enumerate() {
            for term in terms {
                let Some(mut postings) = inverted
                    .read_postings(term, IndexRecordOption::Basic)
                    .map_err(|err| self.fail(err))?
                else {
                    continue;
                };
                let mut doc = postings.doc();
                if doc < range.start {
                    doc = postings.seek(range.start);
                }
                while doc < range.end {
                    let at = (doc - range.start) as usize;
                    if counted[at] != index as u32 {
                        counted[at] = index as u32;
                        covered[at] += worth;
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(covered)
    }

    /// The problems that match `query`, unscored.
    fn matching(&self, searcher: &Searcher, query: &dyn Query) -> Result<ProblemSet> {
        let weight = query
            .weight(EnableScoring::disabled_from_searcher(searcher))
            .map_err(|err| self.fail(err))?;
        let mut set = ProblemSet::new(self.problems.len());
        for reader in searcher.segment_readers() {
            let keys = reader
                .fast_fields()
                .u64("key")
                .map_err(|err| self.fail(err))?;
            let alive = reader.alive_bitset();
            weight
                .for_each_no_score(reader, &mut |docs| {
                    for doc in docs {
                        if alive.is_some_and(|alive| alive.is_deleted(*doc)) {
                            continue;
                        }
                        if let Some(problem) =
                            keys.first(*doc).and_then(|key| self.by_key.get(&key))
                        {
                            set.insert(*problem);
                        }
                    }
                })
                .map_err(|err| self.fail(err))?;
        }
        Ok(set)
    }

    /// A hit without snippets or sections.
    fn bare_hit(&self, entry: &Matched) -> Hit {
        let meta = &self.problems[entry.problem];
        Hit {
            id: meta.id.clone(),
            slug: meta.slug.clone(),
            title: meta.title.clone(),
            category: meta.category.clone(),
            domain: meta.domain.clone(),
            difficulty: meta.difficulty.clone(),
            tags: meta.tags.clone(),
            score: entry.score,
            snippet: String::new(),
            sections: Vec::new(),
            explanation: None,
        }
    }

    /// The hits of the page: each problem's best sections and snippets, and with `explain` (the
    /// ranking in use) how each scored.
    fn hits(
        &self,
        searcher: &Searcher,
        built: &BuiltQuery,
        page: Vec<Matched>,
        explain: Option<&Ranking>,
    ) -> Result<Vec<Hit>> {
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let generator = |query: &dyn Query, field| -> Result<SnippetGenerator> {
            super::snippets::generator(searcher, query, field, SNIPPET_CHARS)
                .map_err(|err| self.fail(err))
        };
        // The summary's generator is only needed for a hit whose symptoms and sections hold
        // none of the words: made on first use.
        let summary_generator = std::sync::OnceLock::new();
        let overview = match &built.problems {
            Some(query) => Some((generator(&**query, self.schema.symptoms)?, &**query)),
            None => None,
        };
        // The log messages a problem prints are ranked within its body; their snippet comes
        // from their own stored copy, with the body's terms.
        let messages = match &built.problems {
            Some(query) => Some(
                super::snippets::generator_of(
                    searcher,
                    &**query,
                    self.schema.body,
                    self.schema.signatures,
                    SNIPPET_CHARS,
                )
                .map_err(|err| self.fail(err))?,
            ),
            None => None,
        };
        let sections = match &built.sections {
            Some(query) => Some((
                self.best_sections(searcher, &**query, &page)?,
                generator(&**query, self.schema.text)?,
            )),
            None => None,
        };
        let hit = |entry: &Matched| -> Result<Hit> {
            let meta = &self.problems[entry.problem];
            let mut listed = Vec::new();
            if let Some((best, text)) = &sections {
                let key = problem_key(&meta.id);
                for address in best.get(&key).into_iter().flatten() {
                    let doc: TantivyDocument =
                        searcher.doc(*address).map_err(|err| self.fail(err))?;
                    listed.push(SectionHit {
                        heading: text_of(&doc, self.schema.heading),
                        anchor: text_of(&doc, self.schema.anchor),
                        snippet: text.snippet_from_doc(&doc).to_html(),
                    });
                }
            }
            let mut snippet = String::new();
            if let (Some((symptoms, query)), Some(address)) = (&overview, entry.doc) {
                let doc: TantivyDocument = searcher.doc(address).map_err(|err| self.fail(err))?;
                let from_symptoms = symptoms.snippet_from_doc(&doc);
                let from_messages = messages
                    .as_ref()
                    .and_then(|m| best_value_snippet(m, &doc, self.schema.signatures));
                snippet = if let Some(message) = from_messages.filter(|message| {
                    // A pasted error message: the line it matches says more than a symptom
                    // sharing a word or two with it.
                    distinct_words(message) > distinct_words(&from_symptoms).max(1)
                }) {
                    message.to_html()
                } else if !from_symptoms.highlighted().is_empty() {
                    from_symptoms.to_html()
                } else if let Some(section) =
                    listed.first().filter(|section| !section.snippet.is_empty())
                {
                    section.snippet.clone()
                } else {
                    let summary = summary_generator
                        .get_or_init(|| generator(*query, self.schema.summary).ok());
                    summary
                        .as_ref()
                        .map(|summary| summary.snippet_from_doc(&doc).to_html())
                        .unwrap_or_default()
                };
            }
            if snippet.is_empty() {
                snippet = opening(meta.summary.as_deref().unwrap_or(""), SNIPPET_CHARS);
            }
            let explanation = match (explain, &built.problems, entry.doc) {
                (Some(ranking), Some(query), Some(address)) => {
                    let explain_one = |query: &dyn Query| {
                        let statistics = self.problem_statistics(searcher);
                        query
                            .weight(EnableScoring::enabled_from_statistics_provider(
                                &statistics,
                                searcher,
                            ))
                            .and_then(|weight| {
                                weight.explain(
                                    searcher.segment_reader(address.segment_ord),
                                    address.doc_id,
                                )
                            })
                            .ok()
                    };
                    explain_one(&**query).map(|explanation| {
                        serde_json::json!({
                            "score": entry.score,
                            "coverage": entry.coverage,
                            "coverage_power": ranking.coverage_power,
                            "coverage_rarity": built.coverage_rarity(ranking),
                            "problem_prior": self.prior(entry.problem, ranking),
                            "text": explanation,
                            "proximity": entry.proximity,
                        })
                    })
                }
                _ => None,
            };
            Ok(Hit {
                snippet,
                sections: listed,
                explanation,
                ..self.bare_hit(entry)
            })
        };
        // Reading sections and cutting snippets is most of a page's cost; a second thread
        // takes half of a page of a few hits.
        if page.len() < PARALLEL_PAGE {
            return page.iter().map(hit).collect();
        }
        let (first, second) = page.split_at(page.len() / 2);
        self.on_two_threads(
            || first.iter().map(hit).collect(),
            || second.iter().map(hit).collect(),
        )
    }

    /// The best [`SECTIONS_PER_HIT`] sections of each problem of the page, best first, by one
    /// search over the sections of all of them (their keys OR-ed, the section query required).
    fn best_sections(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        page: &[Matched],
    ) -> Result<HashMap<u64, Vec<DocAddress>>> {
        let s = &self.schema;
        let keys: Vec<Box<dyn Query>> = page
            .iter()
            .map(|entry| {
                Box::new(TermQuery::new(
                    Term::from_field_u64(s.key, problem_key(&self.problems[entry.problem].id)),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect();
        let own = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(BooleanQuery::new(
                    keys.into_iter().map(|key| (Occur::Should, key)).collect(),
                )) as Box<dyn Query>,
            ),
            (Occur::Must, query.box_clone()),
        ]);
        let statistics = self.section_statistics(searcher);
        let weight = own
            .weight(EnableScoring::enabled_from_statistics_provider(
                &statistics,
                searcher,
            ))
            .map_err(|err| self.fail(err))?;
        let mut found: HashMap<u64, Vec<(Score, DocAddress)>> = HashMap::new();
        for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
            let keys = reader
                .fast_fields()
                .u64("key")
                .map_err(|err| self.fail(err))?;
            let alive = reader.alive_bitset();
            weight
                .for_each(reader, &mut |doc, score| {
                    if alive.is_some_and(|alive| alive.is_deleted(doc)) {
                        return;
                    }
                    if let Some(key) = keys.first(doc) {
                        found
                            .entry(key)
                            .or_default()
                            .push((score, DocAddress::new(ordinal as u32, doc)));
                    }
                })
                .map_err(|err| self.fail(err))?;
        }
        Ok(found
            .into_iter()
            .map(|(key, mut sections)| {
                // Best first; equal scores in document order, as TopDocs orders them.
                sections.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                sections.truncate(SECTIONS_PER_HIT);
                (
                    key,
                    sections.into_iter().map(|(_, address)| address).collect(),
                )
            })
            .collect())
    }
}

/// The opening of `text`, at most `chars` characters cut at a word, HTML-escaped.
fn opening(text: &str, chars: usize) -> String {
    let mut cut: String = text.chars().take(chars).collect();
    if cut.len() < text.len()
        && let Some(space) = cut.rfind(char::is_whitespace)
    {
        cut.truncate(space);
    }
    let mut html = String::with_capacity(cut.len());
    for c in cut.trim().chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
    html
}

fn one(value: &Option<String>) -> Vec<&str> {
    value.as_deref().into_iter().collect()
}

/// The snippet of the one stored value holding the most distinct query words. The values of
/// a multi-valued field are separate texts (one log message each); a snippet of the document
/// joins them, and could start at the tail of one message and run into the next.
fn best_value_snippet(
    generator: &SnippetGenerator,
    doc: &TantivyDocument,
    field: tantivy::schema::Field,
) -> Option<tantivy::snippet::Snippet> {
    let mut best: Option<(usize, tantivy::snippet::Snippet)> = None;
    for text in doc.get_all(field).filter_map(|value| value.as_str()) {
        let snippet = generator.snippet(text);
        let words = distinct_words(&snippet);
        if best.as_ref().is_none_or(|(most, _)| words > *most) {
            best = Some((words, snippet));
        }
    }
    best.map(|(_, snippet)| snippet)
}

/// How many different words a snippet highlights.
fn distinct_words(snippet: &tantivy::snippet::Snippet) -> usize {
    let text = snippet.fragment();
    let mut words: Vec<String> = snippet
        .highlighted()
        .iter()
        .filter_map(|range| text.get(range.clone()))
        .map(str::to_lowercase)
        .collect();
    words.sort_unstable();
    words.dedup();
    words.len()
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|value| value.as_str())
        .unwrap_or("")
        .to_string()
}

async fn load_problems(generation: &Generation) -> Result<Vec<ProblemMeta>> {
    let path = generation.sqlite_path();
    let pool = open_read_only(&path).await?;
    let fail = |err: sqlx::Error| Error::store(&path, err);
    let rows = sqlx::query(
        "SELECT id, slug, title, summary, category, domain, industry, difficulty FROM problems ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .map_err(fail)?;
    let mut problems: Vec<ProblemMeta> = rows
        .iter()
        .map(|row| ProblemMeta {
            id: row.get("id"),
            slug: row.get("slug"),
            title: row.get("title"),
            summary: row.get("summary"),
            category: row.get("category"),
            domain: row.get("domain"),
            industry: row.get("industry"),
            difficulty: row.get("difficulty"),
            tags: Vec::new(),
            companies: Vec::new(),
        })
        .collect();
    let index: HashMap<String, usize> = problems
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();
    for row in sqlx::query("SELECT problem_id, tag FROM problem_tags ORDER BY problem_id, position")
        .fetch_all(&pool)
        .await
        .map_err(fail)?
    {
        let id: String = row.get("problem_id");
        if let Some(&i) = index.get(&id) {
            problems[i].tags.push(row.get("tag"));
        }
    }
    for row in sqlx::query("SELECT DISTINCT problem_id, company FROM incidents WHERE company IS NOT NULL ORDER BY problem_id, company")
        .fetch_all(&pool)
        .await
        .map_err(fail)?
    {
        let id: String = row.get("problem_id");
        if let Some(&i) = index.get(&id) {
            problems[i].companies.push(row.get("company"));
        }
    }
    pool.close().await;
    Ok(problems)
}
