//! Re-embed the SQLite migrations whenever they change.

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
    println!("cargo:rerun-if-changed=../migrations/text");
}
