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
pub fn search_pool() -> Option<&'static ThreadPool> {
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

/// Runs `here` on this thread while the search pool runs `there`; both here, one after the
/// other, when there is no pool.
pub fn join<H, T, RH, RT>(here: H, there: T) -> (RH, RT)
where
    H: FnOnce() -> RH,
    T: FnOnce() -> RT + Send,
    RT: Send,
{
    let Some(pool) = search_pool() else {
        return (here(), there());
    };
    let mut elsewhere = None;
    let mine = pool.in_place_scope(|scope| {
        scope.spawn(|_| elsewhere = Some(there()));
        here()
    });
    // A scope returns only once the work it spawned has run (or passes its panic on).
    (mine, elsewhere.expect("the scope ran its spawned work"))
}
