//! The typed record read from a document through the configuration.

use serde::Serialize;

use super::document::Document;
use super::reference::{is_prose, parse_link_target, parse_reference};
use crate::config::{Config, FieldSource, FieldType};
use crate::front_matter::{Node, ScalarKind, Value};

/// A real incident cited by a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    /// Who it happened to.
    pub company: Option<String>,
    /// When.
    pub year: Option<i64>,
    /// What happened.
    pub summary: Option<String>,
    /// The damage.
    pub impact: Option<String>,
    /// The public post-mortem or report.
    pub source: Option<String>,
}

impl Incident {
    /// Who and when, as one would cite it: `Slack, 2022` (either part may be missing).
    pub fn attribution(&self) -> String {
        [self.company.clone(), self.year.map(|year| year.to_string())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A log line or error message as real software prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signature {
    /// The text as the software prints it: variable parts as printed, as examples, or elided
    /// with `…` (which matches any run of words).
    pub text: String,
    /// Where it comes from: the software's source, docs or a public issue.
    pub source: Option<String>,
}

/// One labelled part of an approach ("The Core Idea", "The Trade-off", …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApproachPart {
    /// The label as written.
    pub label: String,
    /// The text that follows it.
    pub text: String,
}

/// One solution approach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Approach {
    /// Its number in the heading, if any.
    pub number: Option<u32>,
    /// Its name.
    pub name: String,
    /// The heading anchor.
    pub anchor: String,
    /// Labelled parts in order.
    pub parts: Vec<ApproachPart>,
}

/// A section of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    /// Heading text.
    pub heading: String,
    /// Heading level.
    pub level: u8,
    /// Anchor.
    pub anchor: String,
    /// The role it plays (`symptoms`, `detection`, `related`, …), from the template or
    /// `[roles]`, if any.
    pub role: Option<String>,
    /// Its prose, without markup or code (up to the next heading of any level).
    pub text: String,
}

/// A typed cross-reference to another record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// The edge type.
    pub kind: String,
    /// The front-matter field it was read from (`link` for body links).
    pub field: String,
    /// The target as written, normalised (an id, or a slug).
    pub target: String,
}

/// A record of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemRecord {
    /// Path relative to the root without extension.
    pub id: String,
    /// Last segment of the id.
    pub slug: String,
    /// Path relative to the root.
    pub path: String,
    /// Title.
    pub title: String,
    /// One-sentence summary or description.
    pub summary: Option<String>,
    /// Category key.
    pub category: Option<String>,
    /// Domain.
    pub domain: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Difficulty.
    pub difficulty: Option<String>,
    /// Impact kinds.
    pub impact: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Other names people use for the problem (`cache stampede` for a thundering herd):
    /// searched as the title is, and recognised by triage when a ruled-out statement names
    /// the problem.
    pub aliases: Vec<String>,
    /// What an on-call engineer observes.
    pub symptoms: Vec<String>,
    /// How people have reported it in their own words (tickets, chat, pages): matched by
    /// triage like symptoms, never offered as a check.
    pub reports: Vec<String>,
    /// Log lines and error messages real software prints for it.
    pub signatures: Vec<Signature>,
    /// Cited incidents.
    pub incidents: Vec<Incident>,
    /// Solution approaches.
    pub approaches: Vec<Approach>,
    /// Body sections.
    pub sections: Vec<Section>,
    /// Typed edges from front-matter edge fields and body links.
    pub edges: Vec<Edge>,
}

impl ProblemRecord {
    /// Reads the record from a parsed document. Values of the wrong type are skipped (lint
    /// reports them); this never fails.
    pub fn from_document(doc: &Document, config: &Config) -> ProblemRecord {
        let text = |name: &str| field_node(doc, config, name).and_then(string_of);
        let list = |name: &str| field_node(doc, config, name).map_or_else(Vec::new, strings_of);
        let category = match config.field_source("category") {
            FieldSource::Folder => doc.folder().rsplit('/').next().map(str::to_string),
            FieldSource::TopFolder => doc
                .folder()
                .split('/')
                .next()
                .filter(|top| !top.is_empty())
                .map(str::to_string),
            _ => text("category"),
        };
        let summary = text("summary");
        ProblemRecord {
            id: doc.id.clone(),
            slug: doc.slug().to_string(),
            path: doc.file.rel_path.clone(),
            title: text("title").unwrap_or_else(|| doc.fallback_title()),
            summary,
            category,
            domain: text("domain"),
            industry: text("industry"),
            difficulty: text("difficulty"),
            impact: list("impact"),
            tags: list("tags"),
            aliases: list("aliases"),
            symptoms: list("symptoms"),
            reports: list("reports"),
            signatures: signatures(doc, config),
            incidents: incidents(doc, config),
            approaches: approaches(doc, config),
            sections: sections(doc, config),
            edges: edges(doc, config),
        }
    }

    /// The section filling a template role.
    pub fn section_with_role(&self, role: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|section| section.role.as_deref() == Some(role))
    }
}

/// The node of a canonical field, read from where the configuration says it lives.
pub fn field_node<'a>(doc: &'a Document, config: &'a Config, name: &'a str) -> Option<&'a Node> {
    match config.field_source(name) {
        FieldSource::Key(key) => doc.field(key),
        FieldSource::Item(key, index) => doc.field(key)?.items()?.get(index),
        FieldSource::Folder | FieldSource::TopFolder => None,
    }
}

fn string_of(node: &Node) -> Option<String> {
    match &node.value {
        Value::Scalar(scalar) if scalar.kind != ScalarKind::Null => Some(scalar.text.clone()),
        _ => None,
    }
}

fn strings_of(node: &Node) -> Vec<String> {
    match &node.value {
        Value::Seq { items, .. } => items.iter().filter_map(string_of).collect(),
        _ => string_of(node).into_iter().collect(),
    }
}

/// The items of the (first) field of a type, as the configuration names it.
fn items_of_type<'a>(doc: &'a Document, config: &'a Config, kind: FieldType) -> &'a [Node] {
    config
        .raw
        .fields
        .iter()
        .find(|(_, spec)| spec.kind == kind)
        .and_then(|(name, _)| field_node(doc, config, name))
        .and_then(Node::items)
        .unwrap_or_default()
}

fn incidents(doc: &Document, config: &Config) -> Vec<Incident> {
    items_of_type(doc, config, FieldType::Incidents)
        .iter()
        .filter(|item| matches!(item.value, Value::Map(_)))
        .map(|item| {
            let get = |key: &str| item.get(key).and_then(string_of);
            Incident {
                company: get("company"),
                year: get("year").and_then(|year| year.parse().ok()),
                summary: get("summary"),
                impact: get("impact"),
                // Only web links are published: `file:`, `javascript:` and bare paths are not
                // (lint reports them as I003).
                source: get("source")
                    .or_else(|| get("url"))
                    .filter(|url| is_web_url(url)),
            }
        })
        .collect()
}

/// The signatures of a record: maps with `text` and `source`; a bare string is a signature
/// without a source (lint reports it).
fn signatures(doc: &Document, config: &Config) -> Vec<Signature> {
    items_of_type(doc, config, FieldType::Signatures)
        .iter()
        .filter_map(|item| match &item.value {
            Value::Map(_) => Some(Signature {
                text: item.get("text").and_then(string_of)?,
                source: item
                    .get("source")
                    .and_then(string_of)
                    .filter(|url| is_web_url(url)),
            }),
            _ => string_of(item).map(|text| Signature { text, source: None }),
        })
        .filter(|signature| !signature.text.trim().is_empty())
        .collect()
}

/// Whether `url` is an absolute `http://` or `https://` link.
fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && url.trim().len() > 8
}

fn section_prose(doc: &Document, range: std::ops::Range<usize>) -> String {
    let mut out = String::new();
    for text in doc
        .body
        .texts
        .iter()
        .filter(|text| text.start >= range.start && text.end <= range.end)
    {
        let piece = doc.file.text[text.clone()].trim();
        if piece.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(piece);
    }
    out
}

fn sections(doc: &Document, config: &Config) -> Vec<Section> {
    let headings = &doc.body.headings;
    let roles = config.section_roles(
        &doc.file.rel_path,
        headings
            .iter()
            .map(|heading| (heading.level, heading.text.as_str())),
    );
    headings
        .iter()
        .zip(roles)
        .enumerate()
        .map(|(index, (heading, role))| {
            let end = headings
                .get(index + 1)
                .map_or(doc.file.text.len(), |next| next.range.start);
            Section {
                heading: heading.text.clone(),
                level: heading.level,
                anchor: heading.anchor.clone(),
                role: role.map(str::to_string),
                text: section_prose(doc, heading.range.end..end),
            }
        })
        .collect()
}

fn approaches(doc: &Document, config: &Config) -> Vec<Approach> {
    let (Some(pattern), Some(spec)) = (
        config.approach_pattern.as_ref(),
        config
            .template_for(&doc.file.rel_path)
            .and_then(|template| template.approaches.as_ref()),
    ) else {
        return Vec::new();
    };
    let text_len = doc.file.text.len();
    let mut out = Vec::new();
    for (index, heading) in doc.body.headings.iter().enumerate() {
        if heading.level != spec.level {
            continue;
        }
        let Some(captures) = pattern.captures(&heading.text) else {
            continue;
        };
        let number = captures
            .name("number")
            .and_then(|m| m.as_str().parse().ok());
        let name = captures
            .name("name")
            .map_or(heading.text.as_str(), |m| m.as_str())
            .trim()
            .to_string();
        let range = doc.body.section_range(index, text_len);
        let labels: Vec<_> = doc
            .body
            .labels
            .iter()
            .filter(|label| range.contains(&label.range.start))
            .collect();
        let parts = labels
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let end = labels.get(i + 1).map_or(range.end, |next| next.range.start);
                ApproachPart {
                    label: label.text.clone(),
                    text: section_prose(doc, label.range.end..end),
                }
            })
            .collect();
        out.push(Approach {
            number,
            name,
            anchor: heading.anchor.clone(),
            parts,
        });
    }
    out
}

fn edges(doc: &Document, config: &Config) -> Vec<Edge> {
    let mut out = Vec::new();
    for (field, spec) in &config.raw.edges {
        let Some(node) = doc.field(field) else {
            continue;
        };
        for target in strings_of(node) {
            let reference = parse_reference(&target);
            if reference.path.is_empty() || is_prose(&target) {
                continue;
            }
            out.push(Edge {
                kind: spec.kind.clone().unwrap_or_else(|| field.clone()),
                field: field.clone(),
                target: reference.path,
            });
        }
    }
    for link in &doc.body.links {
        if let Some(reference) = parse_link_target(&link.dest, doc.folder())
            && !reference.path.is_empty()
            && reference.path != doc.id
            && !out.iter().any(|edge| edge.target == reference.path)
        {
            out.push(Edge {
                kind: "link".into(),
                field: "link".into(),
                target: reference.path,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::is_web_url;

    #[test]
    fn only_web_links_are_published_as_sources() {
        assert!(is_web_url("https://example.com/post-mortem"));
        assert!(is_web_url("HTTP://example.com"));
        for url in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "/etc/passwd",
            "https://",
            "",
        ] {
            assert!(!is_web_url(url), "{url}");
        }
    }
}
