//! Property tests: arbitrary bytes and mutated valid articles never make the parser or the
//! linter panic, and every finding points inside its file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use catalog_indexer::config::Config;
use catalog_indexer::lint::render::{Format, RenderOptions, render};
use catalog_indexer::lint::{PathFilter, Settings, lint};
use catalog_indexer::model::{Document, DocumentKind};
use catalog_indexer::source::SourceFile;
use catalog_indexer::tree::Tree;
use proptest::prelude::*;

fn catalog_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog")
}

fn article(rel: &str) -> Vec<u8> {
    std::fs::read(catalog_root().join(rel)).expect("bundled article")
}

/// Lints a tree of one arbitrary file beside two real articles, and checks every finding.
fn check(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let config = Config::load(&catalog_root()).expect("bundled config");
    let settings = Settings::from_config(&config).expect("settings");
    let mut docs = Vec::new();
    for (rel, bytes) in [
        ("availability/under-test.md", bytes),
        (
            "availability/retry-storm.md",
            article("availability/retry-storm.md"),
        ),
        (
            "concurrency/double-booking.md",
            article("concurrency/double-booking.md"),
        ),
    ] {
        let file = SourceFile::from_bytes(PathBuf::from(rel), rel.to_string(), bytes);
        docs.push(Document::parse(file, DocumentKind::Record));
    }
    let tree = Tree::from_parts(config, docs, Vec::new(), HashSet::new(), HashSet::new());
    let report = lint(&tree, &settings, &PathFilter::default());
    for diagnostic in &report.diagnostics {
        let text = &tree.source(diagnostic.file).text;
        prop_assert!(
            diagnostic.range.start <= diagnostic.range.end,
            "{diagnostic:?}"
        );
        prop_assert!(
            diagnostic.range.end <= text.len(),
            "{diagnostic:?} past the end"
        );
        prop_assert!(
            text.is_char_boundary(diagnostic.range.start),
            "{diagnostic:?}"
        );
        prop_assert!(
            text.is_char_boundary(diagnostic.range.end),
            "{diagnostic:?}"
        );
        if let Some(fix) = &diagnostic.fix {
            for edit in &fix.edits {
                prop_assert!(
                    edit.range.end <= text.len() && text.is_char_boundary(edit.range.start)
                );
            }
        }
    }
    for format in [
        Format::Full,
        Format::Concise,
        Format::Json,
        Format::Github,
        Format::Sarif,
    ] {
        let _ = render(&report, &tree, format, RenderOptions { color: true });
    }
    Ok(())
}

/// One edit of a valid article.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let snippets = prop::sample::select(vec![
        b"---\n".to_vec(),
        b"\n## The Scenario\n".to_vec(),
        b"### Approach 9: \n".to_vec(),
        b"**The Core Idea:**".to_vec(),
        b"[x](/nowhere#a)".to_vec(),
        b"<!-- catalog-lint-disable".to_vec(),
        b"-->".to_vec(),
        b": [".to_vec(),
        b"\"".to_vec(),
        b"\t- ".to_vec(),
        b"```".to_vec(),
        "\u{feff}é🗺️".as_bytes().to_vec(),
        vec![0xff, 0xfe],
    ]);
    prop_oneof![
        (any::<usize>(), 0usize..200).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (
            any::<usize>(),
            prop_oneof![snippets, prop::collection::vec(any::<u8>(), 0..16)]
        )
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, mutation: &Mutation) -> Vec<u8> {
    let len = bytes.len().max(1);
    match mutation {
        Mutation::Delete(at, count) => {
            let start = at % len;
            let end = (start + count).min(bytes.len());
            bytes.drain(start.min(end)..end);
        }
        Mutation::Insert(at, insert) => {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, insert.iter().copied());
        }
        Mutation::DuplicateLine(n) | Mutation::SwapLines(n, _) | Mutation::Truncate(n)
            if bytes.is_empty() =>
        {
            let _ = n;
        }
        Mutation::DuplicateLine(n) => {
            let mut lines: Vec<Vec<u8>> =
                bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
            let i = n % lines.len();
            lines.insert(i, lines[i].clone());
            bytes = lines.join(&b'\n');
        }
        Mutation::SwapLines(a, b) => {
            let mut lines: Vec<Vec<u8>> =
                bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
            let count = lines.len();
            lines.swap(a % count, b % count);
            bytes = lines.join(&b'\n');
        }
        Mutation::Truncate(n) => bytes.truncate(n % len),
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(bytes)?;
    }

    #[test]
    fn arbitrary_text_with_front_matter_never_panics(body in "\\PC{0,400}", yaml in "[a-z_:\\[\\]{}\"'#&*!|>\\- \n]{0,200}") {
        check(format!("---\n{yaml}\n---\n{body}").into_bytes())?;
    }

    #[test]
    fn mutated_articles_never_panic(
        source in prop::sample::select(vec![
            "availability/retry-storm.md",
            "concurrency/race-condition-inventory.md",
            "performance/connection-pool-starvation.md",
        ]),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let bytes = mutations.iter().fold(article(source), apply);
        check(bytes)?;
    }
}
