//! The `catalog` binary.

fn main() -> std::process::ExitCode {
    catalog_cli::main()
}
