//! The read side of search: one open generation, queried in-process.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use serde::Serialize;
use sqlx::Row;
use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use super::collector::{UnitCollector, UnitMatch};
use super::query::{QueryBuilder, parse_query};
use super::schema::{SearchSchema, TOKENIZER, problem_key};
use crate::config::Config;
use crate::store::{Generation, open_read_only};
use crate::{Error, Result};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 180;
/// Sections listed under a hit.
const SECTIONS_PER_HIT: usize = 3;
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

/// Filters: OR within a field, AND across fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Category keys.
    pub category: Vec<String>,
    /// Domains.
    pub domain: Vec<String>,
    /// Industries.
    pub industry: Vec<String>,
    /// Difficulties.
    pub difficulty: Vec<String>,
    /// Tags.
    pub tag: Vec<String>,
    /// Companies of cited incidents.
    pub company: Vec<String>,
}

/// The facet fields, in output order.
pub const FACETS: [&str; 6] = [
    "category",
    "domain",
    "industry",
    "difficulty",
    "tag",
    "company",
];

impl Filters {
    fn values(&self, facet: &str) -> &[String] {
        match facet {
            "category" => &self.category,
            "domain" => &self.domain,
            "industry" => &self.industry,
            "difficulty" => &self.difficulty,
            "tag" => &self.tag,
            _ => &self.company,
        }
    }
}

impl ProblemMeta {
    fn values(&self, facet: &str) -> Vec<&str> {
        match facet {
            "category" => one(&self.category),
            "domain" => one(&self.domain),
            "industry" => one(&self.industry),
            "difficulty" => one(&self.difficulty),
            "tag" => self.tags.iter().map(String::as_str).collect(),
            _ => self.companies.iter().map(String::as_str).collect(),
        }
    }

    /// Whether the problem passes every filter except `skip`.
    fn passes(&self, filters: &Filters, skip: Option<&str>) -> bool {
        FACETS
            .iter()
            .filter(|facet| Some(**facet) != skip)
            .all(|facet| {
                let wanted = filters.values(facet);
                wanted.is_empty()
                    || self
                        .values(facet)
                        .iter()
                        .any(|value| wanted.iter().any(|w| w == value))
            })
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

/// Facet counts: facet → value → number of matching problems.
pub type Facets = BTreeMap<String, BTreeMap<String, usize>>;

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

/// One open generation, ready to answer searches.
pub struct SearchEngine {
    schema: SearchSchema,
    index: Index,
    reader: IndexReader,
    problems: Vec<ProblemMeta>,
    by_key: HashMap<u64, usize>,
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
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|err| Error::store(&dir, err))?;
        let problems = load_problems(generation).await?;
        let by_key = problems
            .iter()
            .enumerate()
            .map(|(index, problem)| (problem_key(&problem.id), index))
            .collect();
        let synonyms = config
            .raw
            .search
            .synonyms
            .groups
            .iter()
            .map(|group| group.iter().map(|member| member.to_lowercase()).collect())
            .collect();
        Ok(SearchEngine {
            schema: SearchSchema::new(),
            index,
            reader,
            problems,
            by_key,
            synonyms,
            generation: generation.clone(),
        })
    }

    /// Number of problems.
    pub fn len(&self) -> usize {
        self.problems.len()
    }

    /// Whether the generation holds no problem.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// Runs a search. Never fails on the query text: bad syntax is read as plain words.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let plan = parse_query(&request.q);
        let analyzer =
            self.index.tokenizers().get(TOKENIZER).ok_or_else(|| {
                Error::store(self.generation.tantivy_dir(), "no en_stem tokenizer")
            })?;
        let mut builder = QueryBuilder {
            schema: &self.schema,
            analyzer,
            synonyms: &self.synonyms,
        };
        let built = builder.build(&plan);
        let fail = |err: tantivy::TantivyError| Error::store(self.generation.tantivy_dir(), err);
        let units = searcher
            .search(&*built.positive, &UnitCollector { scoring: true })
            .map_err(fail)?;
        let excluded: HashSet<u64> = match &built.excluded {
            Some(query) => searcher
                .search(&**query, &UnitCollector { scoring: false })
                .map_err(fail)?
                .into_iter()
                .map(|unit| unit.key)
                .collect(),
            None => HashSet::new(),
        };
        // Group units per problem, best first.
        let mut grouped: HashMap<usize, Vec<UnitMatch>> = HashMap::new();
        for unit in units {
            if excluded.contains(&unit.key) {
                continue;
            }
            if let Some(&problem) = self.by_key.get(&unit.key) {
                grouped.entry(problem).or_default().push(unit);
            }
        }
        let mut facets = Facets::new();
        for facet in FACETS {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for problem in grouped.keys() {
                let meta = &self.problems[*problem];
                if meta.passes(&request.filters, Some(facet)) {
                    for value in meta.values(facet) {
                        *counts.entry(value.to_string()).or_default() += 1;
                    }
                }
            }
            facets.insert(facet.to_string(), counts);
        }
        let mut ranked: Vec<(usize, f32, Vec<UnitMatch>)> = grouped
            .into_iter()
            .filter(|(problem, _)| self.problems[*problem].passes(&request.filters, None))
            .map(|(problem, mut units)| {
                units.sort_by(|a, b| b.score.total_cmp(&a.score));
                let score = if built.matches_all {
                    0.0
                } else {
                    units[0].score + units.get(1).map_or(0.0, |u| u.score * SECOND_UNIT_WEIGHT)
                };
                (problem, score, units)
            })
            .collect();
        ranked.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.problems[a.0].title.cmp(&self.problems[b.0].title))
        });
        let total = ranked.len();
        let page: Vec<_> = ranked
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .collect();
        let hits = self.hits(
            &searcher,
            &*built.positive,
            page,
            request.explain,
            built.matches_all,
        )?;
        Ok(SearchResponse {
            query: request.q.clone(),
            hits,
            total,
            facets,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    fn hits(
        &self,
        searcher: &Searcher,
        query: &dyn tantivy::query::Query,
        page: Vec<(usize, f32, Vec<UnitMatch>)>,
        explain: bool,
        matches_all: bool,
    ) -> Result<Vec<Hit>> {
        let fail = |err: tantivy::TantivyError| Error::store(self.generation.tantivy_dir(), err);
        let s = &self.schema;
        let body_snippets = SnippetGenerator::create(searcher, query, s.body).map_err(fail)?;
        let symptom_snippets =
            SnippetGenerator::create(searcher, query, s.symptoms).map_err(fail)?;
        let summary_snippets =
            SnippetGenerator::create(searcher, query, s.summary).map_err(fail)?;
        let mut body_snippets = body_snippets;
        body_snippets.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(page.len());
        for (problem, score, units) in page {
            let meta = &self.problems[problem];
            let mut sections = Vec::new();
            let mut snippet = String::new();
            for (rank, unit) in units.iter().enumerate() {
                let doc: TantivyDocument = searcher.doc(unit.address).map_err(fail)?;
                let anchor = text_of(&doc, s.anchor);
                if anchor.is_empty() {
                    if rank == 0 || snippet.is_empty() {
                        let from_symptoms = symptom_snippets.snippet_from_doc(&doc);
                        let chosen = if from_symptoms.highlighted().is_empty() {
                            summary_snippets.snippet_from_doc(&doc)
                        } else {
                            from_symptoms
                        };
                        if rank == 0 || !chosen.highlighted().is_empty() {
                            snippet = chosen.to_html();
                        }
                    }
                    continue;
                }
                if sections.len() >= SECTIONS_PER_HIT || matches_all {
                    continue;
                }
                let body = body_snippets.snippet_from_doc(&doc);
                if snippet.is_empty() {
                    snippet = body.to_html();
                }
                sections.push(SectionHit {
                    heading: text_of(&doc, s.heading),
                    anchor,
                    snippet: body.to_html(),
                });
            }
            let explanation = if explain && !matches_all {
                let best = units
                    .first()
                    .map(|unit| unit.address)
                    .unwrap_or(DocAddress::new(0, 0));
                query
                    .explain(searcher, best)
                    .ok()
                    .and_then(|explanation| serde_json::to_value(explanation).ok())
            } else {
                None
            };
            hits.push(Hit {
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
            });
        }
        Ok(hits)
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
