//! A response cache for read routes, keyed by the generation and the URL.
//!
//! A generation never changes once built, so a read response is a pure function of the
//! generation and the request URL: caching it is exact, and a switch to a new generation
//! simply stops hitting the old keys (the cache is also emptied then to free the memory).
//! On-call searches repeat (the same error message from many people in the same incident),
//! and so do front-end pages.

use std::num::NonZeroUsize;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::HeaderValue;
use lru::LruCache;

/// Entries kept by default.
pub const DEFAULT_ENTRIES: usize = 4096;
/// Largest body kept.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A cached 200 response.
#[derive(Debug, Clone)]
pub struct CachedResponse {
    /// Its `Content-Type`.
    pub content_type: Option<HeaderValue>,
    /// Its body.
    pub body: Bytes,
}

/// Least-recently-used responses; disabled with zero entries.
pub struct ResponseCache {
    entries: Option<Mutex<LruCache<String, CachedResponse>>>,
}

impl ResponseCache {
    /// A cache of at most `entries` responses (0 disables it).
    pub fn new(entries: usize) -> ResponseCache {
        ResponseCache {
            entries: NonZeroUsize::new(entries).map(|n| Mutex::new(LruCache::new(n))),
        }
    }

    /// The key of a URL in a generation.
    pub fn key(generation: &str, url: &str) -> String {
        format!("{generation} {url}")
    }

    /// A cached response.
    pub fn get(&self, key: &str) -> Option<CachedResponse> {
        let entries = self.entries.as_ref()?;
        entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(key)
            .cloned()
    }

    /// Keeps a response unless its body is too large.
    pub fn put(&self, key: String, response: CachedResponse) {
        if response.body.len() > MAX_BODY_BYTES {
            return;
        }
        if let Some(entries) = &self.entries {
            entries
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .put(key, response);
        }
    }

    /// Whether the cache is on.
    pub fn enabled(&self) -> bool {
        self.entries.is_some()
    }

    /// Forgets everything.
    pub fn clear(&self) {
        if let Some(entries) = &self.entries {
            entries
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(text: &str) -> CachedResponse {
        CachedResponse {
            content_type: None,
            body: Bytes::from(text.to_string()),
        }
    }

    #[test]
    fn keeps_the_most_recent_entries_and_can_be_disabled() {
        let cache = ResponseCache::new(2);
        cache.put("a".into(), response("1"));
        cache.put("b".into(), response("2"));
        assert!(cache.get("a").is_some());
        cache.put("c".into(), response("3"));
        assert!(cache.get("b").is_none(), "least recently used goes first");
        assert_eq!(cache.get("a").map(|r| r.body), Some(Bytes::from("1")));
        cache.clear();
        assert!(cache.get("a").is_none());

        let off = ResponseCache::new(0);
        off.put("a".into(), response("1"));
        assert!(off.get("a").is_none());
        assert!(!off.enabled());
    }

    #[test]
    fn large_bodies_are_not_kept() {
        let cache = ResponseCache::new(2);
        cache.put("big".into(), response(&"x".repeat(MAX_BODY_BYTES + 1)));
        assert!(cache.get("big").is_none());
    }
}
