//! Background re-index tasks: one at a time, each with a status a client can poll.
//!
//! A task builds a new generation with the indexer (incremental, like `catalog index`), then
//! the server switches to it; requests in flight finish on the generation they started with.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

use catalog_indexer::clock::rfc3339;
use catalog_indexer::config::Config;
use catalog_indexer::ingest::{IndexOptions, IndexSummary, index};
use serde::Serialize;
use utoipa::ToSchema;

use crate::context::AppContext;
use crate::error::ApiError;

/// Finished tasks kept for polling.
const KEPT: usize = 100;

/// Where a task is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    /// Building the new generation.
    Running,
    /// The new generation is served.
    Succeeded,
    /// Nothing changed for readers; `error` says why.
    Failed,
}

/// What asked for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    /// `POST /api/v1/admin/reindex`.
    Api,
    /// A file change seen by `catalog serve --watch`.
    Watch,
}

/// What a successful re-index did.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReindexSummary {
    /// Whether the previous generation was reused.
    pub incremental: bool,
    /// Markdown files seen.
    pub files: usize,
    /// Files parsed (new or changed).
    pub parsed: usize,
    /// Files gone since the previous generation.
    pub removed: usize,
    /// Records in the new generation.
    pub records: usize,
    /// Sections in the new generation.
    pub sections: usize,
    /// Lint errors in the parsed files.
    pub errors: usize,
    /// Lint warnings in the parsed files.
    pub warnings: usize,
    /// Files that could not be read or parsed (`path: reason`).
    pub unreadable: Vec<String>,
}

impl From<&IndexSummary> for ReindexSummary {
    fn from(summary: &IndexSummary) -> ReindexSummary {
        ReindexSummary {
            incremental: summary.incremental,
            files: summary.files,
            parsed: summary.parsed,
            removed: summary.removed,
            records: summary.records,
            sections: summary.sections,
            errors: summary.errors,
            warnings: summary.warnings,
            unreadable: summary
                .unreadable
                .iter()
                .map(|file| format!("{}: {}", file.path, file.reason))
                .collect(),
        }
    }
}

/// A re-index task as a client sees it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TaskView {
    /// Task id.
    pub id: String,
    /// Status.
    pub status: TaskStatus,
    /// What asked for it.
    pub trigger: Trigger,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it finished (RFC 3339), once it has.
    pub finished_at: Option<String>,
    /// Wall time in milliseconds, once finished.
    pub duration_ms: Option<f64>,
    /// The generation it built, on success.
    pub generation: Option<String>,
    /// What it did, on success.
    pub summary: Option<ReindexSummary>,
    /// Why it failed, on failure.
    pub error: Option<String>,
}

/// The task registry.
#[derive(Default)]
pub struct Tasks {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    next: u64,
    tasks: BTreeMap<u64, TaskView>,
    running: Option<u64>,
}

impl Tasks {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The task with this id.
    pub fn get(&self, id: &str) -> Option<TaskView> {
        let number = id.parse::<u64>().ok()?;
        self.state().tasks.get(&number).cloned()
    }

    /// The running task, if any.
    pub fn running(&self) -> Option<TaskView> {
        let state = self.state();
        state.running.and_then(|id| state.tasks.get(&id).cloned())
    }

    /// The most recent task, if any.
    pub fn last(&self) -> Option<TaskView> {
        self.state().tasks.values().next_back().cloned()
    }

    /// Registers a running task, unless one is running already.
    fn begin(&self, trigger: Trigger) -> Result<TaskView, ApiError> {
        let mut state = self.state();
        if let Some(running) = state.running {
            return Err(ApiError::ReindexRunning(running.to_string()));
        }
        state.next += 1;
        let id = state.next;
        let task = TaskView {
            id: id.to_string(),
            status: TaskStatus::Running,
            trigger,
            started_at: rfc3339(SystemTime::now()),
            finished_at: None,
            duration_ms: None,
            generation: None,
            summary: None,
            error: None,
        };
        state.tasks.insert(id, task.clone());
        state.running = Some(id);
        while state.tasks.len() > KEPT {
            state.tasks.pop_first();
        }
        Ok(task)
    }

    fn finish(&self, id: &str, elapsed_ms: f64, outcome: Result<(String, ReindexSummary), String>) {
        let mut state = self.state();
        let Ok(number) = id.parse::<u64>() else {
            return;
        };
        if state.running == Some(number) {
            state.running = None;
        }
        if let Some(task) = state.tasks.get_mut(&number) {
            task.finished_at = Some(rfc3339(SystemTime::now()));
            task.duration_ms = Some(elapsed_ms);
            match outcome {
                Ok((generation, summary)) => {
                    task.status = TaskStatus::Succeeded;
                    task.generation = Some(generation);
                    task.summary = Some(summary);
                }
                Err(error) => {
                    task.status = TaskStatus::Failed;
                    task.error = Some(error);
                }
            }
        }
    }
}

/// Starts a re-index in the background; refuses while another one runs.
pub fn start_reindex(ctx: &AppContext, trigger: Trigger) -> Result<TaskView, ApiError> {
    let task = ctx.tasks().begin(trigger)?;
    let ctx = ctx.clone();
    let id = task.id.clone();
    tokio::spawn(async move {
        let started = Instant::now();
        let outcome = reindex(&ctx).await;
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        match &outcome {
            Ok((generation, _)) => {
                tracing::info!(task = %id, %generation, elapsed_ms, "re-index succeeded");
            }
            Err(error) => tracing::warn!(task = %id, %error, "re-index failed"),
        }
        ctx.metrics().reindexed(outcome.is_ok());
        ctx.tasks().finish(&id, elapsed_ms, outcome);
    });
    Ok(task)
}

async fn reindex(ctx: &AppContext) -> Result<(String, ReindexSummary), String> {
    let settings = ctx.settings();
    let config = Config::load(&settings.catalog).map_err(|err| err.to_string())?;
    let options = IndexOptions {
        data_dir: settings.data_dir.clone(),
        ..IndexOptions::default()
    };
    let summary = index(config, &options, &|_, _| {})
        .await
        .map_err(|err| err.to_string())?;
    let generation = ctx.reload().await.map_err(|err| match err {
        ApiError::Internal(message) => message,
        other => other.to_string(),
    })?;
    Ok((generation.id, ReindexSummary::from(&summary)))
}
