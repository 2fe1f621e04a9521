//! `L`: the linter's own suppression comments. These rules are reported by the engine after
//! every other rule has run (see `lint::suppression`).

pub mod invalid_suppression;
pub mod unused_suppression;
