//! Property tests of `--fix` over generated front matter: comments, quotes and both list styles
//! survive, the front matter still parses, and tags keep their meaning.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use catalog_indexer::config::Config;
use catalog_indexer::front_matter::Node;
use catalog_indexer::lint::fix::fix;
use catalog_indexer::lint::{PathFilter, Settings};
use catalog_indexer::model::{Document, DocumentKind};
use catalog_indexer::source::SourceFile;
use catalog_indexer::tree::Tree;
use proptest::prelude::*;

fn catalog_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog")
}

/// One generated tag: its value and how it is written.
#[derive(Debug, Clone)]
struct Tag {
    value: &'static str,
    quote: bool,
    comment: Option<&'static str>,
}

fn tag() -> impl Strategy<Value = Tag> {
    (
        prop::sample::select(vec![
            "retries",
            "Retries",
            "jitter",
            "Jitter Backoff",
            "n+1-problem",
            "B+Tree",
            "c#",
            "node.js",
            "time_outs",
            "timeouts",
            "caching",
        ]),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec!["# why", "# see #42", "# a: b"])),
    )
        .prop_map(|(value, quote, comment)| Tag {
            value,
            quote,
            comment,
        })
}

fn render(tags: &[Tag], block: bool, key_comment: bool) -> String {
    let head = if key_comment { "  # the tags" } else { "" };
    let item = |tag: &Tag| {
        if tag.quote || tag.value.contains('#') {
            format!("\"{}\"", tag.value)
        } else {
            tag.value.to_string()
        }
    };
    let list = if block {
        let mut out = format!("tags:{head}\n");
        for tag in tags {
            out.push_str(&format!("  - {}", item(tag)));
            if let Some(comment) = tag.comment {
                out.push_str(&format!("  {comment}"));
            }
            out.push('\n');
        }
        out
    } else {
        let items: Vec<String> = tags.iter().map(item).collect();
        format!("tags: [{}]{head}\n", items.join(", "))
    };
    format!(
        "---\ntitle: \"Retry Storm: \\\"quoted\\\"\"  # title comment\ncategory: availability\n{list}difficulty: 'intermediate'\n---\n# Retry Storm: \"quoted\"\n\nBody.\n"
    )
}

fn comments(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| line.find("  #").map(|at| line[at..].trim()))
        .collect()
}

/// What a tag means: case and word separators aside.
fn meaning(tag: &str) -> String {
    tag.to_lowercase().replace([' ', '_', '-'], "")
}

fn values(node: Option<&Node>) -> Vec<String> {
    node.and_then(Node::items)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn fixes_keep_comments_parse_and_meaning(
        tags in prop::collection::vec(tag(), 1..6),
        block in any::<bool>(),
        key_comment in any::<bool>(),
    ) {
        let text = render(&tags, block, key_comment);
        let config = Config::load(&catalog_root()).expect("bundled config");
        let settings = Settings::from_config(&config).expect("settings");
        let rel = "availability/under-test.md";
        let file = SourceFile::from_bytes(PathBuf::from(rel), rel.into(), text.clone().into_bytes());
        let before = Document::parse(file, DocumentKind::Record);
        prop_assert!(before.yaml.is_some(), "generated front matter parses: {text}");
        let tree = Tree::from_parts(config, vec![before.clone()], Vec::new(), HashSet::new(), HashSet::new());
        let fixed = fix(tree, &settings, &PathFilter::default()).tree;
        let after = &fixed.docs[0];
        let after_text = &after.file.text;

        let yaml = after.yaml.as_ref();
        prop_assert!(yaml.is_some(), "fixed front matter parses:\n{after_text}");
        for comment in comments(&text) {
            prop_assert!(after_text.contains(comment), "comment {comment:?} lost:\n{after_text}");
        }
        let old = before.yaml.as_ref().expect("parsed");
        let new = yaml.expect("parsed");
        for key in ["title", "category", "difficulty"] {
            prop_assert_eq!(old.get(key).and_then(Node::as_str), new.get(key).and_then(Node::as_str));
        }
        let meant: BTreeSet<String> = values(old.get("tags")).iter().map(|t| meaning(t)).collect();
        let kept: BTreeSet<String> = values(new.get("tags")).iter().map(|t| meaning(t)).collect();
        prop_assert_eq!(meant, kept, "\n{}\n--- became ---\n{}", text, after_text);
        prop_assert!(after_text.ends_with("\n\nBody.\n"));
    }
}
