//! The guard every `--fix` goes through: a fixed file must parse to exactly the change the
//! fixes intend, with every comment of its front matter still there (ruff's "fix introduced a
//! syntax error" check, extended to meaning). A fix that fails it is not applied.

use std::collections::BTreeMap;

use crate::front_matter::{Node, same_value};
use crate::lint::diagnostic::Fix;
use crate::model::Document;
use crate::source::SourceFile;

/// Whether `after` (the text of `before` with `fixes` applied) changes the front matter only as
/// the fixes intend: the same keys with the same values except the lists the fixes set, which
/// hold exactly their intended items, and the same comments.
pub fn fix_is_faithful(before: &Document, after: &str, fixes: &[&Fix]) -> bool {
    let Some(block) = &before.front_matter else {
        return true;
    };
    let file = SourceFile::from_bytes(
        before.file.display_path.clone(),
        before.file.rel_path.clone(),
        after.as_bytes().to_vec(),
    );
    let fixed = Document::parse(file, before.kind);
    let before_text = &before.file.text[block.content.clone()];
    let after_text = match &fixed.front_matter {
        Some(block) => &fixed.file.text[block.content.clone()],
        None => return false,
    };
    if !comments_kept(before_text, after_text) {
        return false;
    }
    let (Some(old), Some(new)) = (&before.yaml, &fixed.yaml) else {
        // Front matter that did not parse is never edited.
        return before.yaml.is_none() && before_text == after_text;
    };
    let intended: BTreeMap<&str, &[String]> = fixes
        .iter()
        .filter_map(|fix| fix.sets.as_ref())
        .map(|change| (change.key.as_str(), change.items.as_slice()))
        .collect();
    let mut seen = 0;
    for entry in new.entries() {
        let Some(key) = entry.key.as_str() else {
            return false;
        };
        let previous = old.get(key);
        seen += usize::from(previous.is_some());
        let faithful = match intended.get(key) {
            Some(items) => holds_exactly(&entry.value, items),
            None => previous.is_some_and(|value| same_value(value, &entry.value)),
        };
        if !faithful {
            return false;
        }
    }
    seen == old.entries().len()
}

fn holds_exactly(node: &Node, items: &[String]) -> bool {
    node.items().is_some_and(|values| {
        values.len() == items.len()
            && values
                .iter()
                .zip(items)
                .all(|(value, item)| value.as_str() == Some(item.as_str()))
    })
}

/// Every comment of `before` is in `after` (as many times).
fn comments_kept(before: &str, after: &str) -> bool {
    let mut left: BTreeMap<&str, isize> = BTreeMap::new();
    for comment in comments(before) {
        *left.entry(comment).or_default() += 1;
    }
    for comment in comments(after) {
        *left.entry(comment).or_default() -= 1;
    }
    left.values().all(|count| *count <= 0)
}

/// The comments of YAML text: from a `#` at a line's start or after a space, outside quotes,
/// to the end of the line.
fn comments(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for (at, c) in line.char_indices() {
            match quote {
                Some(open) if c == open => quote = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '#' && previous.is_whitespace() => {
                    out.push(line[at..].trim_end());
                    break;
                }
                None => {}
            }
            previous = c;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::lint::diagnostic::ListChange;
    use crate::model::DocumentKind;

    fn doc(text: &str) -> Document {
        let file = SourceFile::from_bytes(
            PathBuf::from("a.md"),
            "a.md".into(),
            text.as_bytes().to_vec(),
        );
        Document::parse(file, DocumentKind::Record)
    }

    fn sets(key: &str, items: &[&str]) -> Fix {
        Fix {
            message: "test".into(),
            edits: Vec::new(),
            sets: Some(ListChange {
                key: key.into(),
                items: items.iter().map(|item| item.to_string()).collect(),
            }),
        }
    }

    #[test]
    fn the_intended_change_passes() {
        let before = doc("---\ntitle: T  # keep\ntags: [b, a]\n---\nbody\n");
        let fix = sets("tags", &["a", "b"]);
        let after = "---\ntitle: T  # keep\ntags: [a, b]\n---\nbody\n";
        assert!(fix_is_faithful(&before, after, &[&fix]));
    }

    #[test]
    fn broken_yaml_a_lost_comment_or_another_change_fails() {
        let before = doc("---\ntitle: T\ntags: [b, a]  # note\n---\n");
        let fix = sets("tags", &["a", "b"]);
        for after in [
            "---\ntitle: T\ntags: [a, b]]  # note\n---\n",
            "---\ntitle: T\ntags: [a, b]\n---\n",
            "---\ntitle: U\ntags: [a, b]  # note\n---\n",
            "---\ntitle: T\ntags: [a, c]  # note\n---\n",
            "---\ntags: [a, b]  # note\n---\n",
        ] {
            assert!(!fix_is_faithful(&before, after, &[&fix]), "{after}");
        }
    }

    #[test]
    fn comments_ignore_hashes_in_words_and_quotes() {
        assert_eq!(
            comments("a: c#  # one\nb: \"x # y\" # two\n# three\n"),
            vec!["# one", "# two", "# three"]
        );
    }
}
