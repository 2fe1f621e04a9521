//! The content model of a catalog of production-failure articles, and everything that reads it.
//!
//! This crate loads `catalog.toml` ([`config`]), parses markdown articles with YAML front matter
//! into typed [`model::ProblemRecord`]s while keeping the position of every key, value and heading
//! ([`front_matter`], [`markdown`]), and checks them against the template and against each other
//! ([`lint`], with one file per rule under `rules/`). It also infers a configuration for an
//! existing docs folder ([`infer`]) and writes article skeletons ([`scaffold`]).
//!
//! It is not a command-line front end (that is the `catalog` binary) and holds no HTTP code.
#![warn(missing_docs)]

pub mod clock;
pub mod config;
pub mod error;
pub mod freshness;
pub mod front_matter;
pub mod generate;
pub mod infer;
pub mod ingest;
pub mod lint;
pub mod markdown;
pub mod model;
pub mod rules;
pub mod scaffold;
pub mod search;
pub mod source;
pub mod store;
pub mod tree;
pub mod triage;

pub use error::{Error, Result};
