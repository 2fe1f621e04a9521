//! `I`: cited incidents.

pub mod incident_missing_source;
pub mod incident_year_out_of_range;
pub mod missing_incidents;
pub mod non_http_source;

use crate::config::FieldType;
use crate::front_matter::{Node, Value};
use crate::lint::rule::DocContext;
use crate::model::{DocumentKind, field_node};

/// The incident maps of a record, with the field name.
pub(crate) fn incident_items<'a>(
    ctx: &'a DocContext,
) -> Option<(&'a str, &'a Node, Vec<&'a Node>)> {
    if ctx.doc.kind != DocumentKind::Record {
        return None;
    }
    let config = ctx.config();
    let (name, _) = config
        .raw
        .fields
        .iter()
        .find(|(_, spec)| spec.kind == FieldType::Incidents)?;
    let node = field_node(ctx.doc, config, name)?;
    let items = node
        .items()
        .map(|items| {
            items
                .iter()
                .filter(|item| matches!(item.value, Value::Map(_)))
                .collect()
        })
        .unwrap_or_default();
    Some((name.as_str(), node, items))
}

/// The source URL of an incident map.
pub(crate) fn source_of(item: &Node) -> Option<&Node> {
    item.get("source")
        .or_else(|| item.get("url"))
        .filter(|node| !node.is_null())
}
