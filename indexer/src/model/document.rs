//! A markdown file of the tree, parsed once: front matter tree and body, with positions.

use crate::front_matter::{FrontMatterBlock, Node, YamlError, parse_yaml, split_front_matter};
use crate::markdown::{Body, parse_body};
use crate::source::{SourceFile, id_from_rel_path, slug_of};

/// Whether a markdown file is a record or another page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// An article of the catalog.
    Record,
    /// A page that links and can be linked to but is not a record (`index.md`, README, …).
    Page,
}

/// A parsed markdown file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file.
    pub file: SourceFile,
    /// Its id: path relative to the root without extension.
    pub id: String,
    /// Record or page.
    pub kind: DocumentKind,
    /// Where the front matter block is, if the file has one.
    pub front_matter: Option<FrontMatterBlock>,
    /// The front matter's top-level mapping, when it parsed.
    pub yaml: Option<Node>,
    /// The YAML syntax error, when it did not.
    pub yaml_error: Option<YamlError>,
    /// The markdown body.
    pub body: Body,
}

impl Document {
    /// Parses a file. Never fails: what does not parse is kept as an error for lint to report.
    pub fn parse(file: SourceFile, kind: DocumentKind) -> Document {
        let id = id_from_rel_path(&file.rel_path);
        let front_matter = split_front_matter(&file.text);
        let (yaml, yaml_error) = match &front_matter {
            Some(block) if block.close.is_some() => {
                match parse_yaml(&file.text, &file.lines, block.content.clone()) {
                    Ok(node) => (Some(node), None),
                    Err(err) => (None, Some(err)),
                }
            }
            _ => (None, None),
        };
        let body_start = front_matter
            .as_ref()
            .map_or(0, |block| block.body_start(&file.text));
        let body = parse_body(&file.text, body_start);
        Document {
            file,
            id,
            kind,
            front_matter,
            yaml,
            yaml_error,
            body,
        }
    }

    /// The last segment of the id.
    pub fn slug(&self) -> &str {
        slug_of(&self.id)
    }

    /// The folder of the file relative to the root (empty at the root).
    pub fn folder(&self) -> &str {
        self.file
            .rel_path
            .rsplit_once('/')
            .map_or("", |(folder, _)| folder)
    }

    /// The front-matter value under a top-level key.
    pub fn field(&self, key: &str) -> Option<&Node> {
        self.yaml.as_ref()?.get(key)
    }

    /// Whether a heading with this anchor exists.
    pub fn has_anchor(&self, anchor: &str) -> bool {
        self.body
            .headings
            .iter()
            .any(|heading| heading.anchor == anchor)
    }

    /// The title: the front-matter `title` (or the configured source), else the first level-1
    /// heading, else the slug.
    pub fn fallback_title(&self) -> String {
        self.field("title")
            .and_then(Node::as_str)
            .map(str::to_string)
            .or_else(|| {
                self.body
                    .headings
                    .iter()
                    .find(|heading| heading.level == 1)
                    .map(|heading| heading.text.clone())
            })
            .unwrap_or_else(|| self.slug().to_string())
    }
}
