//! Reading the ids that edge fields and markdown links point at.

/// Where a reference points: an id-like path (possibly empty for the same page) and an anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The target path relative to the root, without extension (empty: the same document).
    pub path: String,
    /// The anchor after `#`, if any.
    pub anchor: Option<String>,
}

/// Whether a value of an edge list is prose rather than a reference: ids and slugs never hold
/// spaces, and sites write prerequisites such as `Docker Desktop installed` in those lists.
pub fn is_prose(value: &str) -> bool {
    value.trim().contains(char::is_whitespace)
}

/// Reads an edge-field value: an id relative to the root (a leading `/`, a trailing `/` and a
/// `.md` extension are tolerated).
pub fn parse_reference(value: &str) -> Reference {
    let (path, anchor) = split_anchor(value.trim());
    Reference {
        path: clean_path(path.trim_start_matches('/')),
        anchor,
    }
}

/// Reads a markdown link destination written in the document at folder `from_folder`.
/// Returns `None` for external links (a scheme, `//`, `mailto:`) and for empty links.
pub fn parse_link_target(dest: &str, from_folder: &str) -> Option<Reference> {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with("//") || has_scheme(dest) {
        return None;
    }
    let (path, anchor) = split_anchor(dest);
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Some(Reference {
            path: String::new(),
            anchor,
        });
    }
    let joined = if let Some(absolute) = path.strip_prefix('/') {
        absolute.to_string()
    } else if from_folder.is_empty() {
        path.to_string()
    } else {
        format!("{from_folder}/{path}")
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    Some(Reference {
        path: clean_path(&segments.join("/")),
        anchor,
    })
}

fn split_anchor(value: &str) -> (&str, Option<String>) {
    match value.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor.to_string())),
        None => (value, None),
    }
}

fn clean_path(path: &str) -> String {
    let path = path.trim_end_matches('/');
    let path = path
        .strip_suffix(".md")
        .or_else(|| path.strip_suffix(".mdx"))
        .unwrap_or(path);
    path.to_string()
}

fn has_scheme(dest: &str) -> bool {
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !scheme.contains('/')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_relative_to_the_folder() {
        let r = parse_link_target("../b/c.md#x", "a/f").expect("internal");
        assert_eq!(r.path, "a/b/c");
        assert_eq!(r.anchor.as_deref(), Some("x"));
        assert_eq!(
            parse_link_target("/p/q/", "a").expect("internal").path,
            "p/q"
        );
        assert_eq!(parse_link_target("#here", "a").expect("internal").path, "");
    }

    #[test]
    fn external_links_are_skipped() {
        assert_eq!(parse_link_target("https://x.y/z", ""), None);
        assert_eq!(parse_link_target("mailto:a@b", ""), None);
        assert_eq!(parse_link_target("//cdn/x", ""), None);
    }

    #[test]
    fn edge_values_tolerate_slashes_and_extensions() {
        assert_eq!(parse_reference("/a/b.md").path, "a/b");
        assert_eq!(parse_reference("a/b/").path, "a/b");
    }
}
