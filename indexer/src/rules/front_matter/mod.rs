//! `F`: front-matter rules.

pub mod ambiguous_alias;
pub mod category_folder_mismatch;
pub mod duplicate_key;
pub mod duplicate_tag;
pub mod invalid_field_type;
pub mod invalid_yaml;
pub mod missing_required_field;
pub mod non_normalized_tag;
pub mod too_few_items;
pub mod unknown_field;
pub mod unsorted_tags;
pub mod value_not_in_vocabulary;

use crate::config::Config;
use crate::front_matter::Node;
use crate::lint::diagnostic::{Fix, ListChange};
use crate::lint::rule::DocContext;
use crate::model::{DocumentKind, field_node};
use crate::rules::yaml_edit::{key_of, rewrite_list};

/// The front matter of a record that has one, for rules that only check records.
pub(crate) fn record_yaml<'a>(ctx: &'a DocContext) -> Option<&'a Node> {
    (ctx.doc.kind == DocumentKind::Record)
        .then_some(())
        .and(ctx.doc.yaml.as_ref())
}

/// The string values of a scalar or a list node, with their nodes.
pub(crate) fn values(node: &Node) -> Vec<(&str, &Node)> {
    match node.items() {
        Some(items) => items
            .iter()
            .filter_map(|item| item.as_str().map(|text| (text, item)))
            .collect(),
        None => node.as_str().map(|text| (text, node)).into_iter().collect(),
    }
}

/// The canonical form of a tag: trimmed, lower-case, words joined by single dashes, then the
/// configured alias. Only case and word separators (spaces, `_`, `-`) change: every other
/// character carries meaning (`n+1-problem`, `b+tree`, `c#`, `node.js`) and is kept.
pub(crate) fn normalize_tag(config: &Config, tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    for c in tag.trim().chars() {
        if c.is_whitespace() || c == '_' || c == '-' {
            if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if let Some(canonical) = config.raw.tag_aliases.get(&out) {
        return canonical.clone();
    }
    // `time_outs` is `timeouts` when the vocabulary spells it without a dash.
    match config.raw.vocabularies.get("tags") {
        Some(tags) if !tags.contains(&out) => {
            let squashed = out.replace('-', "");
            tags.iter()
                .find(|tag| tag.replace('-', "") == squashed)
                .cloned()
                .unwrap_or(out)
        }
        _ => out,
    }
}

/// The tags node of a record, when it is a list.
pub(crate) fn tags_node<'a>(ctx: &'a DocContext) -> Option<&'a Node> {
    record_yaml(ctx)?;
    let node = field_node(ctx.doc, ctx.config(), "tags")?;
    node.items().is_some().then_some(node)
}

/// The fix shared by the tag rules: normalised, de-duplicated and sorted; `None` when the list
/// cannot be rewritten without losing a comment.
pub(crate) fn tidy_tags_fix(ctx: &DocContext, node: &Node) -> Option<Fix> {
    let mut tags: Vec<String> = values(node)
        .into_iter()
        .map(|(tag, _)| normalize_tag(ctx.config(), tag))
        .filter(|tag| !tag.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    let key = key_of(ctx.doc, node)?;
    Some(Fix {
        message: "normalise, de-duplicate and sort the tags".into(),
        edits: rewrite_list(ctx.doc, node, &tags)?,
        sets: Some(ListChange { key, items: tags }),
    })
}
