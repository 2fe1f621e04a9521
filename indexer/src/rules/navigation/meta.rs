//! A tolerant reader of the keys of a Nextra `_meta.js` / `_meta.ts` / `_meta.json` object.

use std::ops::Range;

/// One key of the navigation object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaEntry {
    /// The key.
    pub key: String,
    /// Byte range of the key as written.
    pub range: Range<usize>,
    /// The value is a link, separator or menu rather than a page.
    pub not_a_page: bool,
}

/// Why a navigation file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaError {
    /// Byte offset.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Reads the top-level keys of the object exported by a navigation file.
pub fn parse_meta(text: &str) -> Result<Vec<MetaEntry>, MetaError> {
    let start = ["export default", "module.exports", "="]
        .iter()
        .find_map(|marker| text.find(marker).map(|at| at + marker.len()))
        .unwrap_or(0);
    let open = text[start..]
        .find('{')
        .map(|at| start + at)
        .ok_or_else(|| MetaError {
            offset: start.min(text.len()),
            message: "no `{ … }` object found".into(),
        })?;
    let mut scanner = Scanner { text, at: open + 1 };
    let mut entries = Vec::new();
    loop {
        scanner.skip_trivia();
        match scanner.peek() {
            None => return Err(scanner.error("the object is never closed")),
            Some('}') => return Ok(entries),
            Some(',') => {
                scanner.at += 1;
                continue;
            }
            Some('.') => {
                // A spread (`...other`): its keys cannot be known without running the code.
                scanner.skip_value()?;
                continue;
            }
            _ => {}
        }
        let key_start = scanner.at;
        let key = scanner.key()?;
        let range = key_start..scanner.at;
        scanner.skip_trivia();
        if scanner.peek() == Some('-') {
            return Err(scanner.error("a key that contains `-` must be quoted"));
        }
        if scanner.peek() != Some(':') {
            return Err(scanner.error("expected `:` after the key"));
        }
        scanner.at += 1;
        let value_start = scanner.at;
        scanner.skip_value()?;
        let value = &text[value_start..scanner.at];
        let not_a_page = value.contains("href")
            || value.contains("separator")
            || value.contains("'menu'")
            || value.contains("\"menu\"")
            || key.starts_with("--")
            || key == "*";
        entries.push(MetaEntry {
            key,
            range,
            not_a_page,
        });
    }
}

struct Scanner<'a> {
    text: &'a str,
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn error(&self, message: &str) -> MetaError {
        MetaError {
            offset: self.at.min(self.text.len()),
            message: message.into(),
        }
    }

    fn skip_trivia(&mut self) {
        loop {
            let rest = &self.text[self.at..];
            let trimmed = rest.trim_start();
            self.at += rest.len() - trimmed.len();
            if trimmed.starts_with("//") {
                self.at += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if trimmed.starts_with("/*") {
                self.at += trimmed.find("*/").map_or(trimmed.len(), |end| end + 2);
            } else {
                return;
            }
        }
    }

    fn string(&mut self) -> Result<String, MetaError> {
        let quote = self.peek().ok_or_else(|| self.error("unexpected end"))?;
        let mut out = String::new();
        let mut chars = self.text[self.at + 1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        out.push(escaped);
                    }
                }
                c if c == quote => {
                    self.at += 1 + i + c.len_utf8();
                    return Ok(out);
                }
                c => out.push(c),
            }
        }
        Err(self.error("unterminated string"))
    }

    fn key(&mut self) -> Result<String, MetaError> {
        match self.peek() {
            Some('"' | '\'' | '`') => self.string(),
            Some(c) if c.is_alphanumeric() || c == '_' || c == '$' => {
                let rest = &self.text[self.at..];
                let len = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                    .unwrap_or(rest.len());
                self.at += len;
                Ok(rest[..len].to_string())
            }
            _ => Err(self.error("expected a key")),
        }
    }

    /// Skips a value up to the `,` or `}` that ends it at the current depth.
    fn skip_value(&mut self) -> Result<(), MetaError> {
        let mut depth = 0usize;
        loop {
            self.skip_trivia();
            match self.peek() {
                None => return Err(self.error("the object is never closed")),
                Some('"' | '\'' | '`') => {
                    self.string()?;
                }
                Some(c @ ('{' | '[' | '(')) => {
                    depth += 1;
                    self.at += c.len_utf8();
                }
                Some(c @ ('}' | ']' | ')')) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                    self.at += c.len_utf8();
                }
                Some(',') if depth == 0 => return Ok(()),
                Some(c) => self.at += c.len_utf8(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_of_a_nextra_meta_file() {
        let text = "export default {\n  index: \"Overview\",\n  \"retry-storm\": \"Retry\",\n  // comment\n  github: { title: 'GH', href: 'https://x' },\n  '---': { type: 'separator' },\n}\n";
        let entries = parse_meta(text).expect("parses");
        let keys: Vec<_> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["index", "retry-storm", "github", "---"]);
        assert_eq!(&text[entries[1].range.clone()], "\"retry-storm\"");
        assert!(entries[2].not_a_page && entries[3].not_a_page && !entries[0].not_a_page);
    }

    #[test]
    fn reads_json() {
        let entries = parse_meta("{\"a\": \"A\", \"b\": {\"title\": \"B\"}}").expect("parses");
        assert_eq!(entries.len(), 2);
    }

    #[test]
    fn reports_an_unclosed_object() {
        assert!(parse_meta("export default { a: 'x',").is_err());
        assert!(parse_meta("nothing here").is_err());
    }
}
