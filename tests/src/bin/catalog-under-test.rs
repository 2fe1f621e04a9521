//! The `catalog` entry point, built inside this package so that the end-to-end tests can run
//! it (`CARGO_BIN_EXE_catalog-under-test`): Cargo only exposes binaries of the package under
//! test.

fn main() -> std::process::ExitCode {
    catalog_cli::main()
}
