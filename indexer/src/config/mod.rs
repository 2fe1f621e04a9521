//! `catalog.toml`: everything site-specific about a catalog, as configuration rather than code.
//!
//! [`CatalogConfig`] mirrors the file; [`Config`] is the loaded form with globs and patterns
//! compiled once, which the parser and the lint rules read.

mod compiled;
mod schema;

pub use compiled::{Config, FieldSource, SectionMatcher, role_words};
pub use schema::*;

/// The name of the configuration file at the content root.
pub const CONFIG_FILE: &str = "catalog.toml";
