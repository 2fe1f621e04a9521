//! Source files: their text, identity and a line index to turn byte offsets into positions.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Maps byte offsets of a text to 1-based lines and columns (columns count characters).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The byte offset where 0-based `line` starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(usize::MAX)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and column (in characters) of byte `offset` in `text`.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = text[start..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// The byte range of 0-based `line`, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.line_start(line).min(text.len());
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1)
            .max(start);
        let end = if text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    /// The byte offset of the `column`-th character (0-based) on 0-based `line`.
    pub fn offset_of(&self, text: &str, line: usize, column: usize) -> usize {
        let start = self.line_start(line).min(text.len());
        text[start..]
            .char_indices()
            .nth(column)
            .map_or(text.len(), |(i, _)| start + i)
    }
}

/// The largest char boundary not after `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One file of the tree, read once.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as given to the user (relative to the working directory when possible).
    pub display_path: PathBuf,
    /// Path relative to the content root, with `/` separators.
    pub rel_path: String,
    /// The text; invalid UTF-8 is replaced (see `utf8_error`).
    pub text: String,
    /// Byte offset of the first invalid UTF-8 sequence, if the file is not UTF-8.
    pub utf8_error: Option<usize>,
    /// Line starts of `text`.
    pub lines: LineIndex,
}

impl SourceFile {
    /// Builds a source file from raw bytes.
    pub fn from_bytes(display_path: PathBuf, rel_path: String, bytes: Vec<u8>) -> Self {
        let (text, utf8_error) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(err) => {
                let at = err.utf8_error().valid_up_to();
                (
                    String::from_utf8_lossy(err.as_bytes()).into_owned(),
                    Some(at),
                )
            }
        };
        let lines = LineIndex::new(&text);
        SourceFile {
            display_path,
            rel_path,
            text,
            utf8_error,
            lines,
        }
    }

    /// The range of the last line that holds text, for findings about the end of the file.
    pub fn last_line_range(&self) -> Range<usize> {
        let trimmed = self.text.trim_end().len();
        let line = self.lines.line_of(trimmed.saturating_sub(1));
        let range = self.lines.line_range(&self.text, line);
        range.start..range.end.min(trimmed).max(range.start)
    }

    /// 1-based line and column of byte `offset`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        self.lines.position(&self.text, offset)
    }
}

/// The id of a record at `rel_path`: the path without its extension.
pub fn id_from_rel_path(rel_path: &str) -> String {
    let path = Path::new(rel_path);
    let without_ext = match path.extension() {
        Some(_) => path.with_extension(""),
        None => PathBuf::from(path),
    };
    without_ext
        .to_string_lossy()
        .replace('\\', "/")
        .trim_matches('/')
        .to_string()
}

/// The last segment of an id.
pub fn slug_of(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_one() {
        let text = "ab\nçd\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), (1, 1));
        assert_eq!(index.position(text, 3), (2, 1));
        assert_eq!(index.position(text, 5), (2, 2));
        assert_eq!(index.position(text, text.len()), (3, 5));
    }

    #[test]
    fn ids_drop_the_extension() {
        assert_eq!(id_from_rel_path("a/b/c.md"), "a/b/c");
        assert_eq!(slug_of("a/b/c"), "c");
    }
}
