//! The reference graph of the whole tree, built on every run (also when only some paths are
//! linted) so that reverse fields and references are judged against every record.

use std::collections::{BTreeSet, HashMap};

use crate::model::{DocumentKind, parse_link_target, parse_reference};
use crate::tree::{Resolution, Tree};

/// Who points at whom.
#[derive(Debug, Default)]
pub struct ReferenceGraph {
    /// For each reverse field, for each document index, the ids of records pointing at it.
    reverse: HashMap<String, Vec<BTreeSet<String>>>,
}

impl ReferenceGraph {
    /// Builds the graph of `tree`.
    pub fn build(tree: &Tree) -> ReferenceGraph {
        let config = &tree.config;
        let mut reverse: HashMap<String, Vec<BTreeSet<String>>> = HashMap::new();
        for field in config.reverse_fields() {
            reverse.insert(field.to_string(), vec![BTreeSet::new(); tree.docs.len()]);
        }
        if reverse.is_empty() {
            return ReferenceGraph { reverse };
        }
        for doc in tree
            .docs
            .iter()
            .filter(|doc| doc.kind == DocumentKind::Record)
        {
            let mut add = |field: &str, target: Resolution| {
                if let (Resolution::Document(target), Some(lists)) =
                    (target, reverse.get_mut(field))
                    && tree.docs[target].id != doc.id
                {
                    lists[target].insert(doc.id.clone());
                }
            };
            for (name, spec) in &config.raw.edges {
                let Some(field) = spec.reverse.as_deref() else {
                    continue;
                };
                let Some(node) = doc.field(name) else {
                    continue;
                };
                let values: Vec<&str> = match node.items() {
                    Some(items) => items.iter().filter_map(|item| item.as_str()).collect(),
                    None => node.as_str().into_iter().collect(),
                };
                for value in values {
                    add(field, tree.resolve_id(&parse_reference(value).path));
                }
            }
            if let Some(field) = config.raw.links.reverse.as_deref() {
                for link in &doc.body.links {
                    if let Some(reference) = parse_link_target(&link.dest, doc.folder())
                        && !reference.path.is_empty()
                    {
                        add(field, tree.resolve_link(&reference.path));
                    }
                }
            }
        }
        ReferenceGraph { reverse }
    }

    /// The ids that should be listed in `field` of document `index`, sorted.
    pub fn expected_reverse(&self, field: &str, index: usize) -> Option<&BTreeSet<String>> {
        self.reverse.get(field)?.get(index)
    }
}
