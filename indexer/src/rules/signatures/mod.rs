//! `G`: signatures, the log lines and error messages a problem is recognised by in triage.

pub mod duplicate_signature;
pub mod empty_signature;
pub mod shared_signature;
pub mod signature_missing_source;
pub mod unmatchable_signature;

use crate::config::FieldType;
use crate::front_matter::Node;
use crate::lint::rule::DocContext;
use crate::model::{DocumentKind, field_node};

/// The items of a record's signatures field.
pub(crate) fn signature_items<'a>(ctx: &'a DocContext) -> Vec<&'a Node> {
    if ctx.doc.kind != DocumentKind::Record {
        return Vec::new();
    }
    let config = ctx.config();
    let Some((name, _)) = config
        .raw
        .fields
        .iter()
        .find(|(_, spec)| spec.kind == FieldType::Signatures)
    else {
        return Vec::new();
    };
    field_node(ctx.doc, config, name)
        .and_then(Node::items)
        .map(|items| items.iter().collect())
        .unwrap_or_default()
}

/// The text of a signature item (a map's `text`, or a bare string), with its node.
pub(crate) fn text_of(item: &Node) -> Option<(&Node, &str)> {
    match item.get("text") {
        Some(node) => node.as_str().map(|text| (node, text)),
        None => item.as_str().map(|text| (item, text)),
    }
}

/// The span of the first line of an item, for a diagnostic.
pub(crate) fn first_line(ctx: &DocContext, node: &Node) -> std::ops::Range<usize> {
    let text = &ctx.doc.file.text;
    let end = text[node.span.start..]
        .find('\n')
        .map_or(node.span.end, |i| node.span.start + i);
    node.span.start..end.min(node.span.end).max(node.span.start)
}
