//! The HTTP JSON API of the catalog (axum router, handlers, OpenAPI document, middleware).
//!
//! The routes arrive with the serving work; this crate only fixes its place in the workspace
//! for now, so that `cli` and `tests` can depend on it from the start.
#![warn(missing_docs)]
