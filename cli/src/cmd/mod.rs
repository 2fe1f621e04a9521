//! One module per subcommand.

pub mod generate;
pub mod index;
pub mod init;
pub mod lint;
pub mod new;
pub mod rule;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;
pub mod triage;

use std::borrow::Cow;

/// Text for a terminal: control characters (a signature's tab, an escape sequence in a pasted
/// log line) are shown as escapes instead of moving the cursor or recolouring the screen.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("plain text"), "plain text");
        assert_eq!(
            printable("hot key found with counter: 3\tkeyname: k"),
            "hot key found with counter: 3\\tkeyname: k"
        );
        assert_eq!(printable("\u{1b}[31mred"), "\\u{1b}[31mred");
    }
}
