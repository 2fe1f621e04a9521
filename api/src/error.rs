//! The one error type of the API, rendered as RFC 9457 `application/problem+json`.
//!
//! Every error carries a stable machine `code`; 5xx details go to the log, never to the client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Media type of error bodies.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A result whose error is an [`ApiError`].
pub type ApiResult<T> = Result<T, ApiError>;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A query parameter is not one the endpoint knows.
    #[error("unknown parameter `{name}`")]
    UnknownParameter {
        /// The name as sent.
        name: String,
        /// The names the endpoint accepts.
        allowed: Vec<String>,
    },
    /// A parameter's value is out of range or malformed.
    #[error("{0}")]
    InvalidParameter(String),
    /// No problem has this id or slug.
    #[error("no problem has the id or slug `{0}`")]
    ProblemNotFound(String),
    /// A slug shared by several problems.
    #[error("the slug `{slug}` names several problems; ask for one of them by id")]
    AmbiguousSlug {
        /// The slug.
        slug: String,
        /// The ids it names.
        candidates: Vec<String>,
    },
    /// No such task.
    #[error("no task has the id `{0}`")]
    TaskNotFound(String),
    /// No route here.
    #[error("no route for {0}")]
    RouteNotFound(String),
    /// The route exists, not with this method.
    #[error("{0} is not supported here; see the Allow header")]
    MethodNotAllowed(String),
    /// Admin credentials missing or wrong.
    #[error("a valid bearer token is required")]
    Unauthorized,
    /// A reindex is already running.
    #[error("task {0} is already re-indexing; wait for it to finish")]
    ReindexRunning(String),
    /// No generation has been loaded yet.
    #[error("no index is loaded yet")]
    NotReady,
    /// Something failed on our side; the detail is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
    /// A request refused before a handler saw it (a malformed path, a body or headers too
    /// large, a timeout), by axum or a middleware layer.
    #[error("{detail}")]
    Rejected {
        /// The status the layer chose.
        status: StatusCode,
        /// What it said.
        detail: String,
    },
}

impl From<catalog_indexer::Error> for ApiError {
    fn from(err: catalog_indexer::Error) -> ApiError {
        ApiError::Internal(err.to_string())
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema, PartialEq, Eq)]
pub struct ProblemDetails {
    /// A URI naming the kind of problem: `about:blank`, the kind being given by `status`
    /// and, precisely, by `code`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request.
    pub detail: String,
    /// Stable machine-readable code (`unknown_parameter`, `problem_not_found`, …).
    pub code: String,
    /// The accepted parameter names, for `unknown_parameter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    /// The ids an ambiguous slug names, for `ambiguous_slug`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<String>>,
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::UnknownParameter { .. } | ApiError::InvalidParameter(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::ProblemNotFound(_)
            | ApiError::TaskNotFound(_)
            | ApiError::RouteNotFound(_) => StatusCode::NOT_FOUND,
            ApiError::AmbiguousSlug { .. } | ApiError::ReindexRunning(_) => StatusCode::CONFLICT,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::NotReady => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Rejected { status, .. } => *status,
        }
    }

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::UnknownParameter { .. } => "unknown_parameter",
            ApiError::InvalidParameter(_) => "invalid_parameter",
            ApiError::ProblemNotFound(_) => "problem_not_found",
            ApiError::AmbiguousSlug { .. } => "ambiguous_slug",
            ApiError::TaskNotFound(_) => "task_not_found",
            ApiError::RouteNotFound(_) => "route_not_found",
            ApiError::Unauthorized => "unauthorized",
            ApiError::MethodNotAllowed(_) => "method_not_allowed",
            ApiError::ReindexRunning(_) => "reindex_running",
            ApiError::NotReady => "not_ready",
            ApiError::Internal(_) => "internal_error",
            ApiError::Rejected { status, .. } => match status.as_u16() {
                400 => "bad_request",
                408 => "request_timeout",
                413 => "body_too_large",
                414 => "uri_too_long",
                415 => "unsupported_media_type",
                422 => "invalid_body",
                431 => "headers_too_large",
                503 => "unavailable",
                _ if status.is_server_error() => "internal_error",
                _ => "rejected",
            },
        }
    }

    /// The problem document sent to the client.
    pub fn details(&self) -> ProblemDetails {
        let status = self.status();
        let detail = match self {
            ApiError::Internal(_) => "the server failed to answer; the error is logged".to_string(),
            other => other.to_string(),
        };
        ProblemDetails {
            kind: "about:blank".to_string(),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail,
            code: self.code().to_string(),
            allowed: match self {
                ApiError::UnknownParameter { allowed, .. } => Some(allowed.clone()),
                _ => None,
            },
            candidates: match self {
                ApiError::AmbiguousSlug { candidates, .. } => Some(candidates.clone()),
                _ => None,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(message) = &self {
            tracing::error!(error = %message, "request failed");
        }
        let status = self.status();
        let body = serde_json::to_vec(&self.details()).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if matches!(self, ApiError::Unauthorized) {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"catalog admin\""),
            );
        }
        response
    }
}
