//! The search's own threads, for the parts of a long search that split: walking the postings
//! of common words (`evaluator.rs`) and quoting the page's hits (`engine.rs`).
//!
//! Searches do not share the global rayon pool, which parses files while a reindex runs: a
//! search would wait behind it.

use std::num::NonZeroUsize;
use std::sync::OnceLock;

use rayon::ThreadPool;

/// The threads that take parts of a search besides the searching thread itself: one fewer
/// than the cores, none on one core.
fn search_pool() -> Option<&'static ThreadPool> {
    static POOL: OnceLock<Option<ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        if cores < 2 {
            return None;
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(cores - 1)
            .thread_name(|index| format!("search-{index}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// How many parts a search splits its work into: one per core.
pub fn parts() -> usize {
    search_pool().map_or(1, |pool| pool.current_num_threads() + 1)
}

/// `f` of each item, in order: the first on this thread while the search pool takes the
/// others; all here, one after the other, when there is no pool or one item.
pub fn map<I, R, F>(items: Vec<I>, f: F) -> Vec<R>
where
    I: Send,
    R: Send,
    F: Fn(I) -> R + Sync,
{
    let pool = match search_pool() {
        Some(pool) if items.len() > 1 => pool,
        _ => return items.into_iter().map(f).collect(),
    };
    let mut items = items.into_iter();
    let Some(first) = items.next() else {
        return Vec::new();
    };
    let mut theirs: Vec<Option<R>> = items.as_slice().iter().map(|_| None).collect();
    let f = &f;
    let mine = pool.in_place_scope(|scope| {
        for (item, slot) in items.zip(theirs.iter_mut()) {
            scope.spawn(move |_| *slot = Some(f(item)));
        }
        f(first)
    });
    // A scope returns only once the work it spawned has run (or passes its panic on).
    std::iter::once(mine)
        .chain(
            theirs
                .into_iter()
                .map(|result| result.expect("the scope ran its work")),
        )
        .collect()
}
