//! One pass of pulldown-cmark over a body, collecting what the catalog needs with file offsets.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::anchor::Slugger;

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The text, without markup.
    pub text: String,
    /// The anchor a link uses to reach it (explicit `{#id}` or computed).
    pub anchor: String,
    /// Byte range of the whole heading in the file.
    pub range: Range<usize>,
}

/// A markdown link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// Byte range of the whole link in the file.
    pub range: Range<usize>,
}

/// Bold text that opens a paragraph, such as `**The Core Idea:**`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The bold text without a trailing colon.
    pub text: String,
    /// Byte range of the bold text in the file.
    pub range: Range<usize>,
    /// Byte range of the whole paragraph.
    pub paragraph: Range<usize>,
}

/// A fenced or indented code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The info string's language (`mermaid`, `sql`, …), empty when none.
    pub lang: String,
    /// Byte range of the block in the file.
    pub range: Range<usize>,
}

/// What a body holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// Where the body starts in the file.
    pub start: usize,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Links in order.
    pub links: Vec<Link>,
    /// Paragraph-opening bold labels in order.
    pub labels: Vec<Label>,
    /// Code blocks in order.
    pub code_blocks: Vec<CodeBlock>,
    /// Ranges of prose text (outside code), for placeholder checks and indexing.
    pub texts: Vec<Range<usize>>,
}

impl Body {
    /// Whether a byte offset lies inside a code block.
    pub fn in_code(&self, offset: usize) -> bool {
        self.code_blocks
            .iter()
            .any(|block| block.range.contains(&offset))
    }

    /// Index of the heading that governs byte `offset` (the last heading before it).
    pub fn heading_before(&self, offset: usize) -> Option<usize> {
        self.headings
            .iter()
            .rposition(|heading| heading.range.start <= offset)
    }

    /// The byte range of the section under heading `index`: from the heading to the next
    /// heading of the same or a higher level (or the end of the file).
    pub fn section_range(&self, index: usize, text_len: usize) -> Range<usize> {
        let heading = &self.headings[index];
        let end = self.headings[index + 1..]
            .iter()
            .find(|next| next.level <= heading.level)
            .map_or(text_len, |next| next.range.start);
        heading.range.start..end
    }
}

/// The markdown extensions the catalog reads.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Parses `text[start..]` as markdown.
pub fn parse_body(text: &str, start: usize) -> Body {
    let source = &text[start..];
    let mut body = Body {
        start,
        ..Body::default()
    };
    let mut slugger = Slugger::default();
    let mut heading: Option<(u8, Range<usize>, String, Option<String>)> = None;
    let mut paragraph_start: Option<Range<usize>> = None;
    let mut label: Option<(Range<usize>, String, Range<usize>)> = None;
    let mut in_code = false;
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        let range = range.start + start..range.end + start;
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((
                    heading_level(level),
                    range,
                    String::new(),
                    id.map(|id| id.to_string()),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, range, text, id)) = heading.take() {
                    let text = text.trim().to_string();
                    let anchor = match id {
                        Some(id) => slugger.unique(id),
                        None => slugger.slug(&text),
                    };
                    body.headings.push(Heading {
                        level,
                        text,
                        anchor,
                        range,
                    });
                }
            }
            Event::Start(Tag::Paragraph) => paragraph_start = Some(range),
            Event::Start(Tag::Strong) => {
                if let Some(paragraph) = paragraph_start.take()
                    && paragraph.start == range.start
                {
                    label = Some((range, String::new(), paragraph));
                }
            }
            Event::End(TagEnd::Strong) => {
                if let Some((range, text, paragraph)) = label.take() {
                    let text = text.trim().trim_end_matches(':').trim_end().to_string();
                    body.labels.push(Label {
                        text,
                        range,
                        paragraph,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                paragraph_start = None;
                body.links.push(Link {
                    dest: dest_url.to_string(),
                    range,
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                body.code_blocks.push(CodeBlock { lang, range });
            }
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(text) | Event::Code(text) => {
                paragraph_start = None;
                if let Some((_, _, content, _)) = heading.as_mut() {
                    content.push_str(&text);
                }
                if let Some((_, content, _)) = label.as_mut() {
                    content.push_str(&text);
                }
                if !in_code {
                    body.texts.push(range);
                }
            }
            _ => paragraph_start = None,
        }
    }
    body
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_headings_labels_links_and_code() {
        let text = "---\nx: 1\n---\n# Title\n\n## Detection & Monitoring\n\n**The Core Idea:** lock it.\n\nSee [other](/a/b#c).\n\n```mermaid\ngraph TD\n```\n";
        let body = parse_body(text, 12);
        let anchors: Vec<_> = body.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["title", "detection--monitoring"]);
        assert_eq!(&text[body.headings[0].range.clone()], "# Title\n");
        assert_eq!(body.labels[0].text, "The Core Idea");
        assert_eq!(&text[body.labels[0].range.clone()], "**The Core Idea:**");
        assert_eq!(body.links[0].dest, "/a/b#c");
        assert_eq!(body.code_blocks[0].lang, "mermaid");
    }

    #[test]
    fn explicit_heading_ids_win() {
        let body = parse_body("## Setup {#install}\n", 0);
        assert_eq!(body.headings[0].anchor, "install");
        assert_eq!(body.headings[0].text, "Setup");
    }

    #[test]
    fn bold_inside_a_sentence_is_not_a_label() {
        let body = parse_body("Text with **bold** inside.\n", 0);
        assert!(body.labels.is_empty());
    }
}
