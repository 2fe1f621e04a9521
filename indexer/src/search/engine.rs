//! The read side of search: one open generation, queried in-process.

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;
use sqlx::Row;
use tantivy::directory::MmapDirectory;
use tantivy::query::EnableScoring;
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use super::collector::{ProblemScores, ProblemSet};
use super::evaluator::Evaluator;
use super::facets::{FacetTable, Facets, Filters};
use super::pool;
use super::query::{QueryBuilder, parse_query};
use super::schema::{SearchSchema, TOKENIZER, problem_key};
use super::snippets::{Quoted, Snippets};
use super::units::UnitMap;
use super::vocabulary::Background;
use crate::config::Config;
use crate::store::{Generation, open_read_only};
use crate::{Error, Result};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 180;
/// Sections listed under a hit.
const SECTIONS_PER_HIT: usize = 3;
/// Hits from which a page is quoted by two threads.
const PARALLEL_HITS: usize = 4;
/// Weight of a problem's second-best unit in its score.
const SECOND_UNIT_WEIGHT: f32 = 0.25;

/// What is known of a problem without reading the index.
#[derive(Debug, Clone)]
struct ProblemMeta {
    id: String,
    slug: String,
    title: String,
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

/// A problem of the page: its ordinal, its score, and its matching units, best first.
type PageEntry = (usize, f32, Vec<(DocAddress, f32)>);

/// How the problems that may take a place on the page get their scores.
enum Scoring<'a> {
    /// Already scored, every matching unit.
    All(ProblemScores),
    /// Scored on demand, only those that may rank.
    Pruned(Evaluator<'a>),
}

/// One open generation, ready to answer searches.
pub struct SearchEngine {
    schema: SearchSchema,
    index: Index,
    reader: IndexReader,
    problems: Vec<ProblemMeta>,
    /// Per problem: its rank by title, the order of equal scores.
    title_rank: Vec<u32>,
    facets: FacetTable,
    units: UnitMap,
    /// The terms of the weighted fields, for typos (built on another thread after opening).
    vocabulary: Background,
    synonyms: Vec<Vec<String>>,
    /// The generation it reads.
    pub generation: Generation,
}

impl SearchEngine {
    /// Opens a generation read-only.
    pub async fn open(generation: &Generation, config: &Config) -> Result<SearchEngine> {
        let dir = generation.tantivy_dir();
        let directory = MmapDirectory::open(&dir).map_err(|err| Error::store(&dir, err))?;
        let index = Index::open(directory).map_err(|err| Error::store(&dir, err))?;
        // Manual: the engine reads one generation for its whole life, so the segments the unit
        // map was built for stay those of every searcher it hands out.
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
        let units = UnitMap::build(&reader.searcher(), &by_key, problems.len())
            .map_err(|err| Error::store(&dir, err))?;
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
        let synonyms = config.synonym_groups();
        let schema = SearchSchema::new();
        let weighted = schema
            .weighted_fields()
            .iter()
            .map(|(field, _)| *field)
            .collect();
        let vocabulary = Background::start(reader.searcher(), weighted);
        Ok(SearchEngine {
            schema,
            index,
            reader,
            problems,
            title_rank,
            facets,
            units,
            vocabulary,
            synonyms,
            generation: generation.clone(),
        })
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.problems.len()
    }

    /// Waits until the vocabulary that typos are looked for in is built: searches before that
    /// walk every term dictionary instead, with the same results.
    pub fn wait_for_vocabulary(&self) {
        self.vocabulary.wait();
    }

    /// Whether the generation holds no problem.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// Runs a search. Never fails on the query text: bad syntax is read as plain words.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        let fail = |err: tantivy::TantivyError| Error::store(self.generation.tantivy_dir(), err);
        let searcher = self.reader.searcher();
        if !self.units.fits(&searcher) {
            return Err(fail(tantivy::TantivyError::InternalError(
                "the index changed under an open engine".into(),
            )));
        }
        let plan = parse_query(&request.q);
        let analyzer =
            self.index.tokenizers().get(TOKENIZER).ok_or_else(|| {
                Error::store(self.generation.tantivy_dir(), "no en_stem tokenizer")
            })?;
        let mut builder = QueryBuilder {
            schema: &self.schema,
            analyzer,
            synonyms: &self.synonyms,
            searcher: &searcher,
        };
        let built = builder.build(&plan);
        let n = self.problems.len();
        // Which problems match, and how to score those that may take a place on the page.
        let (matched, mut scoring) = if built.required.is_empty() && !built.matches_all() {
            let mut evaluator = Evaluator::new(
                &built.optional,
                &searcher,
                self.vocabulary.get(),
                &self.units,
                n,
                SECOND_UNIT_WEIGHT,
            )
            .map_err(fail)?;
            let matched = evaluator.matched().map_err(fail)?.clone();
            (matched, Scoring::Pruned(evaluator))
        } else {
            // Required phrases narrow the units to score, so Tantivy scores them all. With
            // nothing to match every problem scores 0: skip scoring altogether.
            let scoring = !built.matches_all();
            let weight = built
                .positive()
                .weight(if scoring {
                    EnableScoring::enabled_from_searcher(&searcher)
                } else {
                    EnableScoring::disabled_from_searcher(&searcher)
                })
                .map_err(fail)?;
            let scores = ProblemScores::collect(&*weight, &searcher, &self.units, n, scoring)
                .map_err(fail)?;
            (scores.scored_set(), Scoring::All(scores))
        };
        let excluded = if built.excluded.is_empty() {
            ProblemSet::new(n)
        } else {
            Evaluator::problems_matching(
                &built.excluded,
                &searcher,
                self.vocabulary.get(),
                &self.units,
                n,
            )
            .map_err(fail)?
        };
        let filters = self.facets.resolve(&request.filters);
        let mut eligible = ProblemSet::new(n);
        let counter = if filters.is_empty() {
            // Every matching problem counts in every facet: when most problems match, start
            // from the counts of all and take the others back.
            for problem in matched
                .iter()
                .filter(|problem| !excluded.contains(*problem))
            {
                eligible.insert(problem);
            }
            if eligible.len() * 2 > n {
                let mut counter = self.facets.counter_of_all();
                for problem in (0..n).filter(|problem| !eligible.contains(*problem)) {
                    counter.remove(problem);
                }
                counter
            } else {
                let mut counter = self.facets.counter();
                for problem in eligible.iter() {
                    counter.add(problem, 0);
                }
                counter
            }
        } else {
            let mut counter = self.facets.counter();
            for problem in matched
                .iter()
                .filter(|problem| !excluded.contains(*problem))
            {
                let failed = filters.failed(&self.facets, problem);
                counter.add(problem, failed);
                if failed == 0 {
                    eligible.insert(problem);
                }
            }
            counter
        };
        let total = eligible.len();
        let end = request.offset.saturating_add(request.limit).min(total);
        let pruned;
        let scores = match &mut scoring {
            Scoring::All(scores) => &*scores,
            Scoring::Pruned(evaluator) => {
                pruned = if end == 0 {
                    ProblemScores::sparse(n)
                } else {
                    evaluator.top(end, &eligible).map_err(fail)?
                };
                &pruned
            }
        };
        let mut ranked: Vec<(usize, f32)> = eligible
            .iter()
            .filter(|problem| scores.scored(*problem))
            .map(|problem| (problem, scores.score(problem, SECOND_UNIT_WEIGHT)))
            .collect();
        // Only the page needs ordering: select its end, then sort what comes before.
        let order = |a: &(usize, f32), b: &(usize, f32)| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.title_rank[a.0].cmp(&self.title_rank[b.0]))
        };
        if end > 0 && end < ranked.len() {
            ranked.select_nth_unstable_by(end - 1, order);
        }
        ranked.truncate(end);
        ranked.sort_unstable_by(order);
        let page: Vec<PageEntry> = ranked
            .into_iter()
            .skip(request.offset)
            .map(|(problem, score)| (problem, score, scores.units_of(&self.units, problem)))
            .collect();
        let positive = built.positive();
        let hits = self.hits(
            &searcher,
            &*positive,
            page,
            request.explain,
            built.matches_all(),
        )?;
        Ok(SearchResponse {
            query: request.q.clone(),
            hits,
            total,
            facets: counter.finish(),
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// The hits of `page`. A page of several hits is quoted by two threads, each with its
    /// own snippets (loading units and cutting snippets is most of a short search).
    fn hits(
        &self,
        searcher: &Searcher,
        query: &dyn tantivy::query::Query,
        mut page: Vec<PageEntry>,
        explain: bool,
        matches_all: bool,
    ) -> Result<Vec<Hit>> {
        let fail = |err: tantivy::TantivyError| Error::store(self.generation.tantivy_dir(), err);
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let snippets = Snippets::new(searcher, query, &self.schema, SNIPPET_CHARS).map_err(fail)?;
        let quote = |entries: Vec<PageEntry>, snippets: &mut Snippets| -> Result<Vec<Hit>> {
            entries
                .into_iter()
                .map(|entry| self.hit(searcher, query, snippets, entry, explain, matches_all))
                .collect()
        };
        let halves = if page.len() < PARALLEL_HITS {
            vec![(page, snippets)]
        } else {
            let second = page.split_off(page.len().div_ceil(2));
            let theirs = snippets.clone();
            vec![(page, snippets), (second, theirs)]
        };
        let mut hits = Vec::new();
        for half in pool::map(halves, |(entries, mut snippets)| {
            quote(entries, &mut snippets)
        }) {
            hits.extend(half?);
        }
        Ok(hits)
    }

    /// The hit of one problem of the page: its snippet, its best sections, and on demand
    /// the explanation of its best unit's score.
    fn hit(
        &self,
        searcher: &Searcher,
        query: &dyn tantivy::query::Query,
        snippets: &mut Snippets,
        (problem, score, units): PageEntry,
        explain: bool,
        matches_all: bool,
    ) -> Result<Hit> {
        let fail = |err: tantivy::TantivyError| Error::store(self.generation.tantivy_dir(), err);
        let s = &self.schema;
        let meta = &self.problems[problem];
        let mut sections = Vec::new();
        let mut snippet = String::new();
        for (rank, (address, _)) in units.iter().enumerate() {
            // Past this point no unit can change the hit (an overview only fills an empty
            // snippet; sections are full or not listed): skip loading the rest.
            if !snippet.is_empty() && (sections.len() >= SECTIONS_PER_HIT || matches_all) {
                break;
            }
            let doc: TantivyDocument = searcher.doc(*address).map_err(fail)?;
            let anchor = text_of(&doc, s.anchor);
            if anchor.is_empty() {
                if rank == 0 || snippet.is_empty() {
                    let from_symptoms = snippets.of_doc(&doc, Quoted::Symptoms);
                    let chosen = if from_symptoms.is_empty() {
                        snippets.of_doc(&doc, Quoted::Summary)
                    } else {
                        from_symptoms
                    };
                    if rank == 0 || !chosen.is_empty() {
                        snippet = chosen.html;
                    }
                }
                continue;
            }
            if sections.len() >= SECTIONS_PER_HIT || matches_all {
                continue;
            }
            let body = snippets.of_doc(&doc, Quoted::Body).html;
            if snippet.is_empty() {
                snippet = body.clone();
            }
            sections.push(SectionHit {
                heading: text_of(&doc, s.heading),
                anchor,
                snippet: body,
            });
        }
        let explanation = if explain && !matches_all {
            let best = units
                .first()
                .map(|(address, _)| *address)
                .unwrap_or(DocAddress::new(0, 0));
            query
                .explain(searcher, best)
                .ok()
                .and_then(|explanation| serde_json::to_value(explanation).ok())
        } else {
            None
        };
        Ok(Hit {
            id: meta.id.clone(),
            slug: meta.slug.clone(),
            title: meta.title.clone(),
            category: meta.category.clone(),
            domain: meta.domain.clone(),
            difficulty: meta.difficulty.clone(),
            tags: meta.tags.clone(),
            score,
            snippet,
            sections,
            explanation,
        })
    }
}

fn one(value: &Option<String>) -> Vec<&str> {
    value.as_deref().into_iter().collect()
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
        "SELECT id, slug, title, category, domain, industry, difficulty FROM problems ORDER BY id",
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
