//! Our own middleware: conditional GETs keyed by the generation, and request metrics.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::context::AppContext;
use crate::error::ApiError;

/// `Cache-Control` of read responses: caches may keep them but must revalidate, which costs a
/// 304 until the next generation.
const CACHE_CONTROL: &str = "public, no-cache";

/// Answers `If-None-Match` with 304 when the generation and the URL are the same, and tags
/// successful GET responses with an `ETag` and `Cache-Control`.
///
/// Every read response is a function of the generation and the request URL alone, so the
/// tag is computed before the handler runs and a revalidation costs no work.
pub async fn conditional_get(
    State(ctx): State<AppContext>,
    request: Request,
    next: Next,
) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let Some(snapshot) = ctx.current() else {
        return next.run(request).await;
    };
    let url = request
        .uri()
        .path_and_query()
        .map_or("", |path| path.as_str());
    let digest = blake3::hash(url.as_bytes()).to_hex();
    let tag = format!("W/\"{}-{}\"", snapshot.info.id, &digest[..16]);
    let Ok(tag_value) = HeaderValue::from_str(&tag) else {
        return next.run(request).await;
    };
    if matches_tag(request.headers(), &tag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().insert(header::ETAG, tag_value);
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
        return response;
    }
    let mut response = next.run(request).await;
    if response.status() == StatusCode::OK {
        let headers = response.headers_mut();
        headers.insert(header::ETAG, tag_value);
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
    }
    response
}

/// Whether `If-None-Match` names `tag` (weak comparison) or is `*`.
fn matches_tag(headers: &HeaderMap, tag: &str) -> bool {
    let opaque = tag.trim_start_matches("W/");
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == opaque)
}

/// Counts every request by route template, method and status, with its latency.
pub async fn track(State(ctx): State<AppContext>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |path| path.as_str().to_string());
    let method = request.method().as_str().to_string();
    let response = next.run(request).await;
    ctx.metrics().observe(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// The answer for URLs no route matches.
pub async fn not_found(request: Request<Body>) -> Response {
    ApiError::RouteNotFound(format!("{} {}", request.method(), request.uri().path()))
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(value).expect("header"),
        );
        headers
    }

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        let tag = "W/\"g1-abc\"";
        assert!(matches_tag(&headers("W/\"g1-abc\""), tag));
        assert!(matches_tag(&headers("\"g1-abc\""), tag));
        assert!(matches_tag(&headers("\"x\", W/\"g1-abc\""), tag));
        assert!(matches_tag(&headers("*"), tag));
        assert!(!matches_tag(&headers("W/\"g2-abc\""), tag));
        assert!(!matches_tag(&HeaderMap::new(), tag));
    }
}
