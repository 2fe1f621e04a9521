//! Finds the `---` delimited front matter at the start of a file.

use std::ops::Range;

/// Where the front matter block is in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterBlock {
    /// The opening `---` line.
    pub open: Range<usize>,
    /// The YAML between the delimiters.
    pub content: Range<usize>,
    /// The closing `---` (or `...`) line, when there is one.
    pub close: Option<Range<usize>>,
}

impl FrontMatterBlock {
    /// Where the body starts: after the closing line, or at the end of the file when unclosed.
    pub fn body_start(&self, text: &str) -> usize {
        match &self.close {
            Some(close) => {
                let rest = &text[close.end..];
                if rest.starts_with("\r\n") {
                    close.end + 2
                } else if rest.starts_with('\n') {
                    close.end + 1
                } else {
                    close.end
                }
            }
            None => text.len(),
        }
    }
}

/// Finds the front matter of `text`: an opening line `---` as the very first line (after an
/// optional byte-order mark) and a closing line `---` or `...`.
pub fn split_front_matter(text: &str) -> Option<FrontMatterBlock> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if text[start..first_end].trim_end() != "---" {
        return None;
    }
    let open = start..first_end;
    let content_start = (first_end + 1).min(text.len());
    let mut line_start = content_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            return Some(FrontMatterBlock {
                open,
                content: content_start..line_start,
                close: Some(line_start..line_start + line.len()),
            });
        }
        line_start = line_end + 1;
    }
    Some(FrontMatterBlock {
        open,
        content: content_start..text.len(),
        close: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_closed_block() {
        let text = "---\ntitle: x\n---\n# Body\n";
        let block = split_front_matter(text).expect("front matter");
        assert_eq!(&text[block.content.clone()], "title: x\n");
        assert_eq!(&text[block.body_start(text)..], "# Body\n");
    }

    #[test]
    fn reports_an_unclosed_block() {
        let block = split_front_matter("---\ntitle: x\n").expect("front matter");
        assert_eq!(block.close, None);
    }

    #[test]
    fn ignores_a_rule_that_is_not_the_first_line() {
        assert_eq!(split_front_matter("# Title\n---\n"), None);
    }
}
