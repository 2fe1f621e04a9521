//! The shared state of the server: the generation being served and what swaps it.
//!
//! Requests take an `Arc` of the current [`Snapshot`] and keep it for their whole life, so a
//! switch to a new generation never pulls the index from under a request in flight: the old
//! snapshot is dropped when its last request finishes.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use catalog_indexer::config::Config;
use catalog_indexer::search::SearchEngine;
use catalog_indexer::store::{
    DataDir, Generation, GenerationInfo, GenerationLease, SqlitePool, generation_info,
    open_generation,
};
use catalog_indexer::triage::TriageModel;

use crate::cache::ResponseCache;
use crate::error::{ApiError, ApiResult};
use crate::metrics::Metrics;
use crate::tasks::Tasks;

/// One open generation: its database, its search index and the configuration it was read with.
pub struct Snapshot {
    /// The generation.
    pub generation: Generation,
    /// Its metadata.
    pub info: GenerationInfo,
    /// The configuration of the catalog at load time.
    pub config: Config,
    /// The search side.
    pub engine: SearchEngine,
    /// Symptoms, signatures and causal edges, prepared for triage.
    pub triage: TriageModel,
    /// The database, read-only.
    pub pool: SqlitePool,
    /// Keeps index runs from removing the generation while it is served.
    _lease: GenerationLease,
}

impl Snapshot {
    /// Opens `generation` read-only.
    pub async fn open(generation: &Generation, config: Config) -> ApiResult<Snapshot> {
        let lease = generation.lease()?;
        let pool = open_generation(generation).await?;
        let info = generation_info(&pool).await?;
        let engine = SearchEngine::open(generation, &config).await?;
        let triage = TriageModel::load(&pool).await?;
        Ok(Snapshot {
            triage,
            generation: generation.clone(),
            info,
            config,
            engine,
            pool,
            _lease: lease,
        })
    }
}

/// Where the server reads from and who may administer it.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// The catalog folder (holding catalog.toml).
    pub catalog: PathBuf,
    /// The data folder of generations.
    pub data_dir: PathBuf,
    /// The admin bearer token; admin routes exist only when it is set.
    pub admin_token: Option<String>,
    /// Read responses kept in memory (0: none).
    pub cache_entries: usize,
}

/// The state every handler receives.
#[derive(Clone)]
pub struct AppContext {
    inner: Arc<Inner>,
}

struct Inner {
    settings: ServerSettings,
    /// blake3 of the admin token: comparing hashes is constant-time and hides the length.
    admin_hash: Option<blake3::Hash>,
    current: RwLock<Option<Arc<Snapshot>>>,
    metrics: Metrics,
    tasks: Tasks,
    cache: ResponseCache,
}

impl AppContext {
    /// A context with no generation loaded yet (see [`AppContext::reload`]).
    pub fn new(settings: ServerSettings) -> AppContext {
        let admin_hash = settings
            .admin_token
            .as_deref()
            .filter(|token| !token.is_empty())
            .map(|token| blake3::hash(token.as_bytes()));
        AppContext {
            inner: Arc::new(Inner {
                cache: ResponseCache::new(settings.cache_entries),
                settings,
                admin_hash,
                current: RwLock::new(None),
                metrics: Metrics::new(),
                tasks: Tasks::default(),
            }),
        }
    }

    /// The settings.
    pub fn settings(&self) -> &ServerSettings {
        &self.inner.settings
    }

    /// Metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The response cache.
    pub fn cache(&self) -> &ResponseCache {
        &self.inner.cache
    }

    /// Reindex tasks.
    pub fn tasks(&self) -> &Tasks {
        &self.inner.tasks
    }

    /// Whether admin routes are enabled.
    pub fn admin_enabled(&self) -> bool {
        self.inner.admin_hash.is_some()
    }

    /// Whether `token` is the admin token (constant time).
    pub fn is_admin_token(&self, token: &str) -> bool {
        self.inner
            .admin_hash
            .is_some_and(|expected| expected == blake3::hash(token.as_bytes()))
    }

    /// The snapshot being served, or 503 before the first load.
    pub fn snapshot(&self) -> ApiResult<Arc<Snapshot>> {
        self.current().ok_or(ApiError::NotReady)
    }

    /// The snapshot being served, if any.
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.inner
            .current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Loads the current generation of the data folder when it differs from the one served.
    /// Returns the generation now served.
    pub async fn reload(&self) -> ApiResult<Generation> {
        let settings = &self.inner.settings;
        let generation = DataDir::new(&settings.data_dir)
            .current()
            .ok_or(ApiError::NotReady)?;
        if let Some(current) = self.current()
            && current.generation.id == generation.id
        {
            return Ok(generation);
        }
        let config = Config::load(&settings.catalog)?;
        let snapshot = Arc::new(Snapshot::open(&generation, config).await?);
        self.inner
            .metrics
            .set_generation(&snapshot.info.id, snapshot.engine.len());
        *self
            .inner
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(snapshot);
        // Keys name their generation, so old entries could never be hit again.
        self.inner.cache.clear();
        tracing::info!(generation = %generation.id, "serving generation");
        Ok(generation)
    }
}
