//! `S`: body structure against the template.

pub mod approach_missing_label;
pub mod duplicate_section;
pub mod empty_section;
pub mod missing_section;
pub mod placeholder_text;
pub mod section_out_of_order;
pub mod title_mismatch;
pub mod too_few_approaches;

use crate::config::Template;
use crate::lint::rule::DocContext;
use crate::model::DocumentKind;

/// The template of a record, when one applies.
pub(crate) fn template<'a>(ctx: &'a DocContext) -> Option<&'a Template> {
    if ctx.doc.kind != DocumentKind::Record {
        return None;
    }
    ctx.config().template_for(&ctx.doc.file.rel_path)
}

/// Headings that match a template section, as (heading index, section index), in order.
pub(crate) fn matched_sections(ctx: &DocContext) -> Vec<(usize, usize)> {
    let sections = &ctx.config().sections;
    ctx.doc
        .body
        .headings
        .iter()
        .enumerate()
        .filter_map(|(heading, h)| {
            sections
                .iter()
                .position(|matcher| matcher.matches(h.level, &h.text))
                .map(|section| (heading, section))
        })
        .collect()
}

/// `## Heading` as written in the template.
pub(crate) fn shown(level: u8, text: &str) -> String {
    format!("{} {text}", "#".repeat(usize::from(level)))
}
