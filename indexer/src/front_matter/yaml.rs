//! A YAML tree with byte spans, built from `saphyr-parser` events.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::source::LineIndex;

/// How a plain scalar resolves under the YAML 1.2 core schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarKind {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool,
    /// An integer.
    Int,
    /// A floating-point number.
    Float,
    /// A string (every quoted or block scalar).
    Str,
}

/// A scalar with its text as written (unquoted) and its resolved kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The text, with quotes and escapes resolved.
    pub text: String,
    /// What the scalar resolves to.
    pub kind: ScalarKind,
}

/// A key and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key node.
    pub key: Node,
    /// The value node.
    pub value: Node,
}

/// A YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar.
    Scalar(Scalar),
    /// A sequence; `flow` when written `[a, b]`.
    Seq {
        /// Items.
        items: Vec<Node>,
        /// Written in flow style.
        flow: bool,
    },
    /// A mapping, in the order written.
    Map(Vec<Entry>),
}

/// A value and where it is in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Byte range in the file.
    pub span: Range<usize>,
}

impl Node {
    /// The string of a scalar that is not null (numbers and booleans as written).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(scalar) if scalar.kind != ScalarKind::Null => Some(&scalar.text),
            _ => None,
        }
    }

    /// Whether this is a null scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(s) if s.kind == ScalarKind::Null)
    }

    /// The entries of a mapping.
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    /// The entry under `key` of a mapping (the first one, if the key repeats).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries()
            .iter()
            .find(|entry| entry.key.as_str() == Some(key))
    }

    /// The items of a sequence.
    pub fn items(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq { items, .. } => Some(items),
            _ => None,
        }
    }

    /// A short name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar(scalar) => match scalar.kind {
                ScalarKind::Null => "null",
                ScalarKind::Bool => "boolean",
                ScalarKind::Int => "integer",
                ScalarKind::Float => "number",
                ScalarKind::Str => "string",
            },
            Value::Seq { .. } => "list",
            Value::Map(_) => "map",
        }
    }
}

/// A YAML syntax error at a byte offset of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Byte offset in the file.
    pub offset: usize,
    /// What the parser said.
    pub message: String,
}

/// Parses the YAML in `text[content]` into a tree whose spans are byte offsets into `text`.
/// An empty block gives an empty mapping.
pub fn parse_yaml(text: &str, lines: &LineIndex, content: Range<usize>) -> Result<Node, YamlError> {
    let first_line = lines.line_of(content.start);
    let to_offset = |line: usize, column: usize| -> usize {
        let line = first_line + line.saturating_sub(1);
        lines.offset_of(text, line, column).min(content.end)
    };
    let span_range = |span: &Span| -> Range<usize> {
        let start = to_offset(span.start.line(), span.start.col());
        let end = to_offset(span.end.line(), span.end.col()).max(start);
        start..end
    };
    let mut builder = TreeBuilder::default();
    let mut parser = Parser::new_from_str(&text[content.clone()]);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|err| YamlError {
            offset: to_offset(err.marker().line(), err.marker().col()),
            message: err.info().to_string(),
        })?;
        let range = span_range(&span);
        match event {
            Event::DocumentEnd => break,
            Event::Scalar(value, style, _, _) => {
                let kind = if style == ScalarStyle::Plain {
                    resolve_plain(&value)
                } else {
                    ScalarKind::Str
                };
                let range = trim_span(text, range);
                builder.push(Node {
                    value: Value::Scalar(Scalar {
                        text: value.into_owned(),
                        kind,
                    }),
                    span: range,
                });
            }
            Event::Alias(_) => builder.push(Node {
                value: Value::Scalar(Scalar {
                    text: String::new(),
                    kind: ScalarKind::Null,
                }),
                span: range,
            }),
            Event::SequenceStart(..) => {
                let flow = text[range.start..].starts_with('[');
                builder.open(
                    Value::Seq {
                        items: Vec::new(),
                        flow,
                    },
                    range.start,
                );
            }
            Event::MappingStart(..) => builder.open(Value::Map(Vec::new()), range.start),
            Event::SequenceEnd | Event::MappingEnd => builder.close(text),
            _ => {}
        }
    }
    Ok(builder.root.unwrap_or(Node {
        value: Value::Map(Vec::new()),
        span: content.start..content.start,
    }))
}

/// Plain scalar spans may include trailing spaces or comments; keep the value only.
fn trim_span(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    range.start..range.start + slice.trim_end().len()
}

fn resolve_plain(text: &str) -> ScalarKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => ScalarKind::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => ScalarKind::Bool,
        _ if is_int(text) => ScalarKind::Int,
        _ if is_float(text) => ScalarKind::Float,
        _ => ScalarKind::Str,
    }
}

fn is_int(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if let Some(hex) = digits.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(octal) = digits.strip_prefix("0o") {
        return !octal.is_empty() && octal.chars().all(|c| ('0'..='7').contains(&c));
    }
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

fn is_float(text: &str) -> bool {
    matches!(
        text,
        ".inf" | "-.inf" | "+.inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
    ) || (text.chars().any(|c| c.is_ascii_digit())
        && text.parse::<f64>().is_ok()
        && !text.contains(['i', 'n', 'I', 'N']))
}

/// The offset just past the bracket that closes the flow collection opening at `start`,
/// skipping quoted scalars and comments.
fn flow_close(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = start;
    while at < bytes.len() {
        match bytes[at] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            b'"' => {
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' => {
                at += 1;
                while at < bytes.len() {
                    if bytes[at] == b'\'' {
                        if bytes.get(at + 1) == Some(&b'\'') {
                            at += 1;
                        } else {
                            break;
                        }
                    }
                    at += 1;
                }
            }
            b'#' if at > 0 && bytes[at - 1].is_ascii_whitespace() => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// Whether two nodes hold the same value, wherever they are written.
pub fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Scalar(x), Value::Scalar(y)) => x == y,
        (Value::Seq { items: x, .. }, Value::Seq { items: y, .. }) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_value(x, y))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(x, y)| same_value(&x.key, &y.key) && same_value(&x.value, &y.value))
        }
        _ => false,
    }
}

#[derive(Default)]
struct TreeBuilder {
    stack: Vec<(Node, Option<Node>)>,
    root: Option<Node>,
}

impl TreeBuilder {
    fn open(&mut self, value: Value, start: usize) {
        self.stack.push((
            Node {
                value,
                span: start..start,
            },
            None,
        ));
    }

    fn close(&mut self, text: &str) {
        let Some((mut node, _pending_key)) = self.stack.pop() else {
            return;
        };
        // A flow collection ends at its closing bracket, not at its last item and not at the
        // end of a comment that follows it on the line.
        let flow_end = text[node.span.start..]
            .starts_with(['[', '{'])
            .then(|| flow_close(text, node.span.start))
            .flatten();
        let last_end = match &node.value {
            Value::Seq { items, .. } => items.last().map(|item| item.span.end),
            Value::Map(entries) => entries.last().map(|entry| entry.value.span.end),
            Value::Scalar(_) => None,
        };
        node.span.end = flow_end
            .or(last_end)
            .unwrap_or(node.span.start)
            .max(node.span.start);
        self.push(node);
    }

    fn push(&mut self, node: Node) {
        let Some((parent, pending_key)) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(node);
            }
            return;
        };
        match &mut parent.value {
            Value::Seq { items, .. } => items.push(node),
            Value::Map(entries) => match pending_key.take() {
                Some(key) => entries.push(Entry { key, value: node }),
                None => *pending_key = Some(node),
            },
            Value::Scalar(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Node {
        parse_yaml(text, &LineIndex::new(text), 0..text.len()).expect("valid yaml")
    }

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let text = "title: \"A \\\"quoted\\\" title\"\ntags: [a, b]\nlist:\n  - one\n  - two\n";
        let root = parse(text);
        let title = root.get("title").expect("title");
        assert_eq!(title.as_str(), Some("A \"quoted\" title"));
        assert_eq!(&text[title.span.clone()], "\"A \\\"quoted\\\" title\"");
        let tags = root.get("tags").expect("tags");
        assert_eq!(&text[tags.span.clone()], "[a, b]");
        let list = root.get("list").expect("list");
        assert_eq!(list.items().map(<[Node]>::len), Some(2));
        assert!(matches!(list.value, Value::Seq { flow: false, .. }));
        assert_eq!(&text[list.items().expect("items")[1].span.clone()], "two");
    }

    #[test]
    fn flow_lists_end_at_their_bracket() {
        for (text, want) in [
            ("tags: [a, b]  # note\n", "[a, b]"),
            ("tags: [a, \"b]\", 'c''d']\n", "[a, \"b]\", 'c''d']"),
            ("tags: [a, # one\n  b]   \nx: 1\n", "[a, # one\n  b]"),
            ("m: {a: [1, 2]} # c\n", "{a: [1, 2]}"),
        ] {
            let root = parse(text);
            let node = root.entries()[0].value.clone();
            assert_eq!(&text[node.span.clone()], want, "{text:?}");
        }
    }

    #[test]
    fn same_value_ignores_where_a_value_is_written() {
        let a = parse("tags: [a, b]\n");
        let b = parse("# lead\ntags:\n  - a\n  - b  # two\n");
        let c = parse("tags: [a, c]\n");
        assert!(same_value(&a, &b));
        assert!(!same_value(&a, &c));
    }

    #[test]
    fn resolves_plain_scalars() {
        let root = parse("a: 12\nb: true\nc: ~\nd: 2026-03-20\ne: '12'\nf: 1.5\n");
        let kind = |key| match &root.get(key).expect("key").value {
            Value::Scalar(scalar) => scalar.kind,
            _ => panic!("not a scalar"),
        };
        assert_eq!(kind("a"), ScalarKind::Int);
        assert_eq!(kind("b"), ScalarKind::Bool);
        assert_eq!(kind("c"), ScalarKind::Null);
        assert_eq!(kind("d"), ScalarKind::Str);
        assert_eq!(kind("e"), ScalarKind::Str);
        assert_eq!(kind("f"), ScalarKind::Float);
    }

    #[test]
    fn folded_scalars_and_nested_maps() {
        let text = "description: >-\n  one\n  two\nrefs:\n  - title: \"T\"\n    url: u\n";
        let root = parse(text);
        assert_eq!(
            root.get("description").and_then(Node::as_str),
            Some("one two")
        );
        let refs = root.get("refs").and_then(Node::items).expect("refs");
        assert_eq!(refs[0].get("url").and_then(Node::as_str), Some("u"));
    }

    #[test]
    fn reports_syntax_errors_with_an_offset() {
        let text = "title: [unclosed\nnext: 1\n";
        let err = parse_yaml(text, &LineIndex::new(text), 0..text.len()).unwrap_err();
        assert!(err.offset <= text.len());
    }
}
