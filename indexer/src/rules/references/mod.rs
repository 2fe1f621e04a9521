//! `R`: cross-references in edge fields and internal markdown links.

pub mod ambiguous_reference;
pub mod broken_anchor;
pub mod broken_link;
pub mod reverse_field_out_of_sync;
pub mod self_reference;
pub mod unknown_reference;

use crate::front_matter::Node;
use crate::lint::rule::DocContext;
use crate::model::DocumentKind;
use crate::rules::front_matter::values;

/// Every edge-field value of a record: (field, value, node).
pub(crate) fn edge_values<'a>(ctx: &'a DocContext) -> Vec<(&'a str, &'a str, &'a Node)> {
    if ctx.doc.kind != DocumentKind::Record {
        return Vec::new();
    }
    let mut out = Vec::new();
    for field in ctx.config().raw.edges.keys() {
        if let Some(node) = ctx.doc.field(field) {
            for (value, item) in values(node) {
                if crate::model::is_prose(value) {
                    continue;
                }
                out.push((field.as_str(), value, item));
            }
        }
    }
    out
}
