//! The content model: a parsed [`Document`] (any markdown page of the tree, with positions) and
//! the typed [`ProblemRecord`] read from it through the configuration.

mod document;
mod record;
mod reference;

pub use document::{Document, DocumentKind};
pub use record::{
    Approach, ApproachPart, Edge, Incident, ProblemRecord, Section, Signature, field_node,
};
pub use reference::{Reference, is_prose, parse_link_target, parse_reference};
