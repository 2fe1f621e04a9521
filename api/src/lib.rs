//! The HTTP JSON API of the catalog: an axum router over the indexer's read side, its OpenAPI
//! document, the operational middleware, admin re-indexing and the server loop.
//!
//! Handlers call the indexer's library API (search, list, lookup, stats); no SQL or Tantivy
//! code lives here. Tests drive [`app`] with `tower::ServiceExt::oneshot`, without a socket.
#![warn(missing_docs)]

pub mod cache;
pub mod connections;
pub mod context;
pub mod error;
pub mod html;
pub mod metrics;
pub mod middleware;
pub mod params;
pub mod routes;
pub mod serve;
pub mod tasks;

pub use connections::ConnectionLimits;
pub use context::{AppContext, ServerSettings, Snapshot};
pub use error::{ApiError, ApiResult, ProblemDetails};
pub use routes::{app, openapi};
pub use serve::{ServeOptions, serve};
