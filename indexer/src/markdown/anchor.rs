//! Heading anchors, computed the way GitHub and Nextra (github-slugger) compute them.

use std::collections::HashMap;

/// The anchor of a heading text: lower-cased, every character that is not a letter, digit,
/// `_`, `-` or space removed, spaces turned into `-`.
pub fn slugify(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Gives unique anchors in document order: the second "Setup" becomes `setup-1`.
#[derive(Debug, Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// The unique anchor of the next heading with `text`.
    pub fn slug(&mut self, text: &str) -> String {
        let base = slugify(text);
        self.unique(base)
    }

    /// Makes `base` unique among the anchors given so far.
    pub fn unique(&mut self, base: String) -> String {
        let mut candidate = base.clone();
        while let Some(count) = self.seen.get_mut(&candidate) {
            *count += 1;
            candidate = format!("{base}-{count}");
            if !self.seen.contains_key(&candidate) {
                break;
            }
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

/// A heading reduced for comparison with a template: letters and digits, lower-cased, with
/// single spaces between words (emoji and punctuation dropped).
pub fn normalize_heading(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_match_github() {
        assert_eq!(slugify("Detection & Monitoring"), "detection--monitoring");
        assert_eq!(
            slugify("The Solution: Three Approaches"),
            "the-solution-three-approaches"
        );
        assert_eq!(
            slugify("Approach 1: Atomic Update"),
            "approach-1-atomic-update"
        );
        assert_eq!(slugify("🗺️ Quick Overview"), "-quick-overview");
        assert_eq!(
            slugify("The Problem Class [Senior]"),
            "the-problem-class-senior"
        );
        assert_eq!(slugify("Café Über"), "café-über");
    }

    #[test]
    fn repeated_headings_are_numbered() {
        let mut slugger = Slugger::default();
        assert_eq!(slugger.slug("Setup"), "setup");
        assert_eq!(slugger.slug("Setup"), "setup-1");
        assert_eq!(slugger.slug("Setup"), "setup-2");
        assert_eq!(slugger.slug("Setup 1"), "setup-1-1");
    }

    #[test]
    fn headings_normalize_for_comparison() {
        assert_eq!(normalize_heading("🗺️  Quick Overview "), "quick overview");
        assert_eq!(
            normalize_heading("Detection & Monitoring"),
            normalize_heading("detection and monitoring").replace(" and", "")
        );
    }
}
