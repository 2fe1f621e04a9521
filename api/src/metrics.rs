//! Prometheus metrics: requests and latency by route and status, documents, generation.

use std::sync::Mutex;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Labels of one request.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

/// Labels of the served generation.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GenerationLabels {
    generation: String,
}

/// Labels of a finished reindex.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReindexLabels {
    outcome: String,
}

type HistogramMaker = fn() -> Histogram;

/// The server's metrics and their registry.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram, HistogramMaker>,
    documents: Gauge,
    generation: Family<GenerationLabels, Gauge>,
    served: Mutex<Option<String>>,
    reindexes: Family<ReindexLabels, Counter>,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms to about 4 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("catalog");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RequestLabels, Histogram, HistogramMaker>::new_with_constructor(
            latency_histogram as HistogramMaker,
        );
        let documents = Gauge::default();
        let generation = Family::<GenerationLabels, Gauge>::default();
        let reindexes = Family::<ReindexLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route, method and status",
            latency.clone(),
        );
        registry.register(
            "documents",
            "Problems in the served generation",
            documents.clone(),
        );
        registry.register(
            "generation",
            "The served generation (value 1, id in the label)",
            generation.clone(),
        );
        registry.register(
            "reindex",
            "Finished re-index tasks, by outcome",
            reindexes.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            documents,
            generation,
            served: Mutex::new(None),
            reindexes,
        }
    }

    /// Counts a request.
    pub fn observe(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let labels = RequestLabels {
            route: route.to_string(),
            method: method.to_string(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.latency
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// Records the generation now served and its size.
    pub fn set_generation(&self, id: &str, documents: usize) {
        self.documents
            .set(i64::try_from(documents).unwrap_or(i64::MAX));
        let mut served = self
            .served
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(previous) = served.take() {
            self.generation.remove(&GenerationLabels {
                generation: previous,
            });
        }
        self.generation
            .get_or_create(&GenerationLabels {
                generation: id.to_string(),
            })
            .set(1);
        *served = Some(id.to_string());
    }

    /// Counts a finished reindex.
    pub fn reindexed(&self, succeeded: bool) {
        let outcome = if succeeded { "succeeded" } else { "failed" };
        self.reindexes
            .get_or_create(&ReindexLabels {
                outcome: outcome.to_string(),
            })
            .inc();
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}
