//! `X`: files of the tree.

pub mod duplicate_id;
pub mod invalid_utf8;
pub mod link_outside_root;
pub mod missing_front_matter;
