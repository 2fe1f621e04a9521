//! Full-text search over a generation: the Tantivy schema and writer, the query language of
//! DESIGN §6 (weighted fields, stemming, synonyms, typo tolerance, prefix, phrases,
//! exclusions), filters with disjunctive facet counts, and hits ranked per problem with their
//! best sections. Every weight of ranking is in `ranking.rs`.

mod engine;
mod facets;
mod query;
mod ranking;
mod schema;
mod snippets;
mod stats;
mod stems;
mod words;
mod writer;

pub use engine::{Hit, SearchEngine, SearchRequest, SearchResponse, SectionHit};
pub use facets::{FACETS, Facets, Filters};
pub use query::{QueryPlan, fold_compatibility, parse_query};
pub use ranking::Ranking;
pub use schema::{SEARCH_LAYOUT, SearchSchema, problem_key};
pub(crate) use stems::short_text_analyzer;
pub use writer::SearchWriter;
