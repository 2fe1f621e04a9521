//! Full-text search over a generation: the Tantivy schema and writer, the query language of
//! DESIGN §6 (weighted fields, stemming, synonyms, typo tolerance, prefix, phrases,
//! exclusions), filters with disjunctive facet counts, and hits grouped per problem with their
//! best sections.

mod clause;
mod collector;
mod engine;
mod evaluator;
mod facets;
mod leaves;
mod pool;
mod query;
mod schema;
mod snippets;
mod stem_cache;
mod units;
mod vocabulary;
mod writer;

pub use engine::{Hit, SearchEngine, SearchRequest, SearchResponse, SectionHit};
pub use facets::{Facets, Filters};
pub use query::{QueryPlan, parse_query};
pub use schema::{SearchSchema, problem_key};
pub use writer::SearchWriter;
