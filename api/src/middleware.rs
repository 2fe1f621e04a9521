//! Our own middleware: conditional GETs keyed by the generation, and request metrics.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::cache::{CachedResponse, ResponseCache};
use crate::context::AppContext;
use crate::error::{ApiError, PROBLEM_JSON};

/// `Cache-Control` of read responses: caches may keep them but must revalidate, which costs a
/// 304 until the next generation.
const CACHE_CONTROL: &str = "public, no-cache";

/// Answers `If-None-Match` with 304 when the generation and the URL are the same, serves
/// repeated GETs from the response cache, and tags successful responses with an `ETag` and
/// `Cache-Control`.
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
    let cache = ctx.cache();
    let cacheable = cache.enabled() && request.method() == Method::GET;
    let key = ResponseCache::key(&snapshot.info.id, url);
    let mut response = match cacheable.then(|| cache.get(&key)).flatten() {
        Some(hit) => {
            let mut response = Response::new(Body::from(hit.body));
            if let Some(content_type) = hit.content_type {
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, content_type);
            }
            response
        }
        None => {
            let response = next.run(request).await;
            if cacheable && response.status() == StatusCode::OK {
                keep(cache, key, response).await
            } else {
                response
            }
        }
    };
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

/// Stores a 200 response in the cache (when it is small enough) and gives it back. The body is
/// read whole whatever its size: our handlers build it in memory already, and a large article
/// must be served, only not cached.
async fn keep(cache: &ResponseCache, key: String, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            cache.put(
                key,
                CachedResponse {
                    content_type: parts.headers.get(header::CONTENT_TYPE).cloned(),
                    body: bytes.clone(),
                },
            );
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(err) => {
            ApiError::Internal(format!("cannot read a response body: {err}")).into_response()
        }
    }
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

/// Turns error responses that axum or a layer made (plain-text 400 for a malformed path, 413
/// for a body over the limit, an empty 503 on timeout, …) into problem+json, so that every
/// error a client sees has the same shape and a `code`. A web page's own error page (HTML) is
/// left as it is.
pub async fn problem_errors(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    // A problem already, or a web page's own error page for people.
    let is_problem =
        content_type.starts_with(PROBLEM_JSON) || content_type.starts_with("text/html");
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let encoded = response.headers().contains_key(header::CONTENT_ENCODING);
    let (parts, body) = response.into_parts();
    let said = match encoded {
        true => String::new(),
        false => axum::body::to_bytes(body, 4096)
            .await
            .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
            .unwrap_or_default(),
    };
    let detail = if said.is_empty() || status.is_server_error() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        said
    };
    let mut problem = ApiError::Rejected { status, detail }.into_response();
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = parts.headers.get(&name) {
            problem.headers_mut().insert(name, value.clone());
        }
    }
    problem
}

/// The answer for URLs no route matches.
pub async fn not_found(request: Request<Body>) -> Response {
    ApiError::RouteNotFound(format!("{} {}", request.method(), request.uri().path()))
        .into_response()
}

/// The answer for a known URL with a method it does not support (axum adds `Allow`).
pub async fn method_not_allowed(request: Request<Body>) -> Response {
    ApiError::MethodNotAllowed(format!("{} {}", request.method(), request.uri().path()))
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
