//! The `catalog` binary.

/// mimalloc in place of the system allocator: triage of a 1 MiB log allocates per line, and
/// glibc's malloc and free took a fifth of its time (BENCHMARKS.md, Triage).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    catalog_cli::main()
}
