//! The lint rules, one file per rule, grouped by family. [`RULES`] is the single table of
//! codes and names; `catalog rule`, the SARIF rule list and the docs are generated from it.

pub mod files;
pub mod front_matter;
pub mod incidents;
pub mod navigation;
pub mod references;
pub mod signatures;
pub mod structure;
pub mod suppression;
mod yaml_edit;

use crate::lint::rule::Rule;

/// Every rule, in code order.
pub static RULES: &[&Rule] = &[
    &front_matter::missing_required_field::RULE,
    &front_matter::unknown_field::RULE,
    &front_matter::invalid_field_type::RULE,
    &front_matter::value_not_in_vocabulary::RULE,
    &front_matter::category_folder_mismatch::RULE,
    &front_matter::duplicate_tag::RULE,
    &front_matter::non_normalized_tag::RULE,
    &front_matter::too_few_items::RULE,
    &front_matter::invalid_yaml::RULE,
    &front_matter::duplicate_key::RULE,
    &front_matter::unsorted_tags::RULE,
    &front_matter::ambiguous_alias::RULE,
    &structure::missing_section::RULE,
    &structure::section_out_of_order::RULE,
    &structure::duplicate_section::RULE,
    &structure::empty_section::RULE,
    &structure::too_few_approaches::RULE,
    &structure::approach_missing_label::RULE,
    &structure::title_mismatch::RULE,
    &structure::placeholder_text::RULE,
    &references::unknown_reference::RULE,
    &references::broken_link::RULE,
    &references::broken_anchor::RULE,
    &references::reverse_field_out_of_sync::RULE,
    &references::self_reference::RULE,
    &references::ambiguous_reference::RULE,
    &incidents::missing_incidents::RULE,
    &incidents::incident_missing_source::RULE,
    &incidents::non_http_source::RULE,
    &incidents::incident_year_out_of_range::RULE,
    &signatures::empty_signature::RULE,
    &signatures::signature_missing_source::RULE,
    &signatures::duplicate_signature::RULE,
    &signatures::unmatchable_signature::RULE,
    &signatures::shared_signature::RULE,
    &navigation::navigation_entry_without_file::RULE,
    &navigation::missing_from_navigation::RULE,
    &navigation::invalid_navigation_file::RULE,
    &files::invalid_utf8::RULE,
    &files::missing_front_matter::RULE,
    &files::duplicate_id::RULE,
    &files::link_outside_root::RULE,
    &suppression::unused_suppression::RULE,
    &suppression::invalid_suppression::RULE,
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::RULES;

    #[test]
    fn every_rule_documents_itself() {
        for rule in RULES {
            for section in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(
                    rule.doc.contains(section),
                    "{} {} lacks `{section}` in its doc",
                    rule.code,
                    rule.name
                );
            }
            assert!(!rule.summary.is_empty(), "{} has no summary", rule.code);
        }
    }

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
            assert!(seen.insert(rule.name), "duplicate name {}", rule.name);
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{} is not kebab-case",
                rule.name
            );
            let prefix = &rule.code[..1];
            assert!(rule.code[1..].chars().all(|c| c.is_ascii_digit()));
            assert!(matches!(
                prefix,
                "F" | "S" | "R" | "I" | "G" | "N" | "X" | "L"
            ));
        }
        let codes: Vec<_> = RULES.iter().map(|rule| rule.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_by_key(|code| {
            (
                ["F", "S", "R", "I", "G", "N", "X", "L"]
                    .iter()
                    .position(|p| code.starts_with(p)),
                *code,
            )
        });
        assert_eq!(codes, sorted, "RULES is not in code order");
    }
}
