//! Log normalisation: the variable parts of a log line become placeholders, so that one
//! message printed a thousand times with different ids, times and addresses is one template.
//!
//! This follows the parameterisation of Sentry's event grouping: timestamps, UUIDs, hex, IP
//! addresses (with ports), numbers, durations, sizes, paths, URLs, e-mail addresses and quoted
//! values are replaced by a placeholder of their kind; words are lower-cased; punctuation is
//! dropped. A number right after the word `error` is the error's code (`Error 522`, `ERROR
//! 1213`) and stays a word: it is part of which message it is. Stack frames (`at com.example.Foo.bar(Foo.java:42)`, `File "x.py", line 3`,
//! `... 12 more`) are not messages and are left out of the lines.
//!
//! Signatures go through the same function at index time, so a signature and a log line
//! meet as token sequences where placeholders stand for "any value".

use std::fmt;

use crate::search::fold_compatibility;

/// What a placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Placeholder {
    /// A date, a time or both (`2024-05-01T12:00:03.120Z`, `12:00:03`).
    Timestamp,
    /// A UUID.
    Uuid,
    /// A hex number or hash (`0x7f3a`, `a3f9c2d1e4b5`).
    Hex,
    /// An IPv4 or IPv6 address, with or without a port.
    Ip,
    /// A number.
    Number,
    /// A number with a unit of time (`30000ms`, `1.5s`).
    Duration,
    /// A number with a unit of size (`512MB`, `4 GiB`).
    Size,
    /// A file system path.
    Path,
    /// A URL.
    Url,
    /// An e-mail address.
    Email,
    /// A quoted value (`"users"`, `'maxmemory'`).
    Quoted,
    /// An identifier mixing letters and digits (`api-7f9c4d8b6-x2kq9`, `i-0abc12345`).
    Id,
    /// An elided part (`…` or `...`): in a signature, any run of tokens.
    Elided,
}

impl Placeholder {
    /// The placeholder as printed (`<ip>`).
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Timestamp => "<ts>",
            Placeholder::Uuid => "<uuid>",
            Placeholder::Hex => "<hex>",
            Placeholder::Ip => "<ip>",
            Placeholder::Number => "<num>",
            Placeholder::Duration => "<duration>",
            Placeholder::Size => "<size>",
            Placeholder::Path => "<path>",
            Placeholder::Url => "<url>",
            Placeholder::Email => "<email>",
            Placeholder::Quoted => "<quoted>",
            Placeholder::Id => "<id>",
            Placeholder::Elided => "<*>",
        }
    }
}

/// One token of a normalised line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Token {
    /// A word, lower-cased (may hold `.`, `_` and `-` inside: `java.lang.outofmemoryerror`).
    Word(String),
    /// A variable part.
    Var(Placeholder),
}

impl Token {
    /// The word, if it is one.
    pub fn word(&self) -> Option<&str> {
        match self {
            Token::Word(word) => Some(word),
            Token::Var(_) => None,
        }
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Word(word) => f.write_str(word),
            Token::Var(placeholder) => f.write_str(placeholder.name()),
        }
    }
}

/// A normalised line: its tokens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Template(pub Vec<Token>);

impl Template {
    /// The words of the template, in order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(Token::word)
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, token) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{token}")?;
        }
        Ok(())
    }
}

/// Normalises one line.
pub fn normalize_line(line: &str) -> Template {
    let mut tokens = Vec::new();
    // Compatibility folding reads `…` as `...`, which inside a word (`(…s)`, `task[…]`) is
    // punctuation: the ellipsis is kept, so that a signature's elided part is one wherever
    // it stands.
    let unquoted = if line.contains('…') {
        let parts: Vec<std::borrow::Cow<'_, str>> =
            line.split('…').map(fold_compatibility).collect();
        replace_quoted(&parts.join("…"))
    } else {
        replace_quoted(&fold_compatibility(line))
    };
    for chunk in unquoted.split_whitespace() {
        push_chunk(chunk, &mut tokens);
    }
    merge_units(&mut tokens);
    Template(tokens)
}

/// The lines of a pasted text that carry messages, each with its (1-based) line number:
/// blank lines and stack frames are left out, and so is a line longer than `max_chars`
/// past that length (a minified payload is not a message).
pub fn message_lines(text: &str, max_chars: usize) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !is_stack_frame(line))
        .map(|(number, line)| {
            let end = line
                .char_indices()
                .nth(max_chars)
                .map_or(line.len(), |(i, _)| i);
            (number + 1, &line[..end])
        })
        .collect()
}

/// Whether a line is a frame of a stack trace rather than a message.
pub fn is_stack_frame(line: &str) -> bool {
    let trimmed = line.trim_start();
    // Java, Kotlin, Scala, Node: `at com.example.Foo.bar(Foo.java:42)`, `at handler (/app/x.js:3:9)`.
    if let Some(rest) = trimmed.strip_prefix("at ") {
        return rest.contains('(') || rest.contains(".js:") || rest.contains(".ts:");
    }
    // Java's `... 12 more`, Python's `File "x.py", line 3, in f`, Go's `\t/src/x.go:42 +0x1d`.
    (trimmed.starts_with("...") && trimmed.trim_end().ends_with(" more"))
        || (trimmed.starts_with("File \"") && trimmed.contains(", line "))
        || (line.starts_with('\t') && trimmed.contains(".go:"))
        || trimmed.starts_with("goroutine ") && trimmed.trim_end().ends_with("]:")
}

/// A quoted span of more words than this is a message, not a value.
const MAX_QUOTED_WORDS: usize = 3;

/// Replaces quoted values with a marker that survives splitting on whitespace. A quote opens
/// only after a non-word character (so `can't` is a word) and closes before one.
fn replace_quoted(line: &str) -> String {
    const MARK: &str = " \u{1}QUOTED\u{1} ";
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let mut copied = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let opens = matches!(c, '"' | '\'' | '`' | '“' | '‘')
            && (i == 0 || !chars[i - 1].1.is_alphanumeric());
        if opens {
            let close = match c {
                '“' => '”',
                '‘' => '’',
                other => other,
            };
            let end = chars[i + 1..]
                .iter()
                .position(|&(_, d)| d == close)
                .map(|p| i + 1 + p);
            if let Some(end) = end
                && end > i + 1
                && chars
                    .get(end + 1)
                    .is_none_or(|&(_, next)| !next.is_alphanumeric())
            {
                out.push_str(&line[copied..at]);
                // A quoted value (a name, an address, a few words) is variable; a quoted
                // message (a CSV log's message column) is what the line says.
                // A signature's `'…'` elides whatever the quotes hold, words or not.
                let inner = &line[chars[i + 1].0..chars[end].0];
                if matches!(inner.trim(), "…" | "...") {
                    out.push_str(" … ");
                } else if inner.split_whitespace().count() <= MAX_QUOTED_WORDS
                    && !is_message_field(&line[..at])
                {
                    out.push_str(MARK);
                } else {
                    // The message's own quoted values are values too.
                    out.push(' ');
                    out.push_str(&replace_quoted(inner));
                    out.push(' ');
                }
                copied = chars.get(end + 1).map_or(line.len(), |&(next, _)| next);
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&line[copied..]);
    out
}

/// Whether a quote opening after `before` holds a structured log's message: the value of a
/// field named for one (`desc="Request timeout"` in logfmt, `"msg":"…"` in JSON), which says
/// what happened however short it is, where other quoted values are names and addresses.
fn is_message_field(before: &str) -> bool {
    const MESSAGE_FIELDS: &[&str] = &[
        "msg",
        "message",
        "desc",
        "description",
        "error",
        "err",
        "reason",
        "detail",
    ];
    let Some(key) = before
        .trim_end()
        .strip_suffix(['=', ':'])
        .map(|key| key.trim_end().trim_end_matches('"'))
    else {
        return false;
    };
    let name = key
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or(key);
    MESSAGE_FIELDS
        .iter()
        .any(|field| name.eq_ignore_ascii_case(field))
}

/// Characters that separate words inside a chunk.
fn is_separator(c: char) -> bool {
    !(c.is_alphanumeric()
        || matches!(
            c,
            '.' | '_' | '-' | '/' | '\\' | '@' | ':' | '%' | '+' | '\'' | '’'
        ))
}

fn push_chunk(chunk: &str, tokens: &mut Vec<Token>) {
    if chunk == "\u{1}QUOTED\u{1}" {
        tokens.push(Token::Var(Placeholder::Quoted));
        return;
    }
    if chunk.trim_matches(|c: char| is_separator(c) && c != '…') == "..." || chunk.contains('…')
    {
        let (before, after) = chunk
            .split_once("...")
            .or_else(|| chunk.split_once('…'))
            .unwrap_or((chunk, ""));
        push_chunk(before, tokens);
        tokens.push(Token::Var(Placeholder::Elided));
        push_chunk(after, tokens);
        return;
    }
    let trimmed =
        chunk.trim_matches(|c: char| is_separator(c) || matches!(c, '.' | ':' | '-' | '\'' | '’'));
    if trimmed.is_empty() {
        return;
    }
    if let Some(kind) = whole_chunk(trimmed) {
        tokens.push(Token::Var(kind));
        return;
    }
    if trimmed.contains('=') {
        // `key=value`: the key is a word, the value is classified on its own.
        for part in trimmed.split('=') {
            push_chunk(part, tokens);
        }
        return;
    }
    for piece in trimmed.split(|c: char| is_separator(c) || c == ':' || c == '/' || c == '\\') {
        let piece = piece
            .trim_matches(|c: char| matches!(c, '.' | '-' | '_' | '%' | '+' | '@' | '\'' | '’'));
        if piece.is_empty() {
            continue;
        }
        // `Error 522`, `ERROR 1213`: a number right after the word `error` is the error's
        // code, and often all that tells the message apart (Cloudflare's `Error 522:
        // connection timed out` from every other connection timeout).
        if (2..=5).contains(&piece.len())
            && piece.bytes().all(|b| b.is_ascii_digit())
            && matches!(tokens.last(), Some(Token::Word(word)) if word == "error")
        {
            tokens.push(Token::Word(piece.to_string()));
            continue;
        }
        tokens.push(classify(piece));
    }
}

/// Kinds recognised on a whole whitespace-separated chunk (they contain separators).
fn whole_chunk(chunk: &str) -> Option<Placeholder> {
    let lower = chunk.to_ascii_lowercase();
    if let Some(scheme_end) = lower.find("://")
        && lower[..scheme_end].chars().all(|c| c.is_ascii_alphabetic())
        && scheme_end > 0
    {
        return Some(Placeholder::Url);
    }
    if is_email(chunk) {
        return Some(Placeholder::Email);
    }
    if is_uuid(chunk) {
        return Some(Placeholder::Uuid);
    }
    if is_ip(chunk) {
        return Some(Placeholder::Ip);
    }
    if is_timestamp(chunk) {
        return Some(Placeholder::Timestamp);
    }
    if is_path(chunk) {
        return Some(Placeholder::Path);
    }
    None
}

fn classify(piece: &str) -> Token {
    // A qualified class name (`java.lang.OutOfMemoryError`, `sqlalchemy.exc.OperationalError`)
    // is its class: clients print it with or without the package.
    if let Some((package, class)) = piece.rsplit_once('.')
        && !package.is_empty()
        && class.starts_with(|c: char| c.is_ascii_uppercase())
        && class.chars().all(|c| c.is_alphanumeric() || c == '_')
        && package
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '_')
    {
        return classify(class);
    }
    // A qualified method (`org.apache.catalina.loader.WebappClassLoader.clearReferencesThreads`,
    // as loggers that name the calling method print it) is its class too: the package says
    // which software printed the line, and its words, shared with other messages of the same
    // software, would pull a search toward them.
    if let Some((qualified, method)) = piece.rsplit_once('.')
        && method.starts_with(|c: char| c.is_ascii_lowercase())
        && method.chars().all(|c| c.is_alphanumeric() || c == '_')
        && let Some((package, class)) = qualified.rsplit_once('.')
        && !package.is_empty()
        && package.starts_with(|c: char| c.is_ascii_lowercase())
        && class.starts_with(|c: char| c.is_ascii_uppercase())
    {
        return classify(qualified);
    }
    if is_uuid(piece) {
        return Token::Var(Placeholder::Uuid);
    }
    if is_number(piece) {
        return Token::Var(Placeholder::Number);
    }
    if let Some(kind) = number_with_unit(piece) {
        return Token::Var(kind);
    }
    if is_hex(piece) {
        return Token::Var(Placeholder::Hex);
    }
    // `pool-7`, `worker_12`, `nio-8080-exec-3`: numbered instances of one thing, whatever
    // the number's length.
    if piece.contains(['-', '_']) && piece.chars().any(|c| c.is_ascii_digit()) {
        let mut word = String::with_capacity(piece.len());
        for (i, segment) in piece.split(['-', '_']).enumerate() {
            if i > 0 {
                word.push('-');
            }
            if !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit()) {
                word.push('#');
            } else {
                word.push_str(&segment.to_lowercase());
            }
        }
        if !word.chars().any(|c| c.is_ascii_digit()) {
            return Token::Word(word);
        }
    }
    let digits = piece.chars().filter(char::is_ascii_digit).count();
    if digits >= 3 && piece.len() >= 6 {
        return Token::Var(Placeholder::Id);
    }
    Token::Word(piece.to_lowercase())
}

/// Folds a number followed by a unit word into a duration or a size (`30000 ms`), and so an
/// elided number in a signature (`after … ms`), which the line prints as one.
fn merge_units(tokens: &mut Vec<Token>) {
    let mut out = Vec::with_capacity(tokens.len());
    let mut iter = std::mem::take(tokens).into_iter().peekable();
    while let Some(token) = iter.next() {
        if matches!(token, Token::Var(Placeholder::Number | Placeholder::Elided))
            && let Some(Token::Word(unit)) = iter.peek()
            && let Some(kind) = unit_kind(unit)
        {
            iter.next();
            out.push(Token::Var(kind));
            continue;
        }
        out.push(token);
    }
    *tokens = out;
}

fn unit_kind(unit: &str) -> Option<Placeholder> {
    const TIME: &[&str] = &[
        "ns",
        "us",
        "µs",
        "μs",
        "ms",
        "s",
        "sec",
        "secs",
        "second",
        "seconds",
        "m",
        "min",
        "mins",
        "minute",
        "minutes",
        "h",
        "hr",
        "hrs",
        "hour",
        "hours",
        "millis",
        "milliseconds",
    ];
    const SIZE: &[&str] = &[
        "b", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib", "k", "g", "bytes", "byte",
    ];
    let unit = unit.to_ascii_lowercase();
    if TIME.contains(&unit.as_str()) {
        Some(Placeholder::Duration)
    } else if SIZE.contains(&unit.as_str()) {
        Some(Placeholder::Size)
    } else {
        None
    }
}

fn number_with_unit(piece: &str) -> Option<Placeholder> {
    let split = piece.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))?;
    let (number, unit) = piece.split_at(split);
    if number.is_empty() || !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    unit_kind(unit)
}

fn is_number(piece: &str) -> bool {
    let body = piece.strip_prefix(['-', '+']).unwrap_or(piece);
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit())
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
}

fn is_hex(piece: &str) -> bool {
    let lower = piece.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("0x") {
        return !rest.is_empty() && rest.chars().all(|c| c.is_ascii_hexdigit());
    }
    lower.len() >= 8
        && lower.chars().all(|c| c.is_ascii_hexdigit())
        && lower.chars().any(|c| c.is_ascii_digit())
}

fn is_uuid(piece: &str) -> bool {
    let parts: Vec<&str> = piece.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_email(chunk: &str) -> bool {
    let Some((user, host)) = chunk.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && host.contains('.')
        && !host.ends_with('.')
        && user
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
}

fn is_ip(chunk: &str) -> bool {
    let chunk = chunk.trim_start_matches('[');
    // IPv4, optionally with a port or a CIDR suffix; octets redacted before pasting
    // (`x.x.x.x`, `192.168.0.XXX`, `*.*.*.*`) count too.
    let v4 = chunk.split([':', '/']).next().unwrap_or(chunk);
    let octets: Vec<&str> = v4.split('.').collect();
    let digits = |o: &&str| o.chars().all(|c| c.is_ascii_digit());
    let redacted = |o: &&str| o.chars().all(|c| matches!(c, 'x' | 'X' | '*'));
    if octets.len() == 4
        && octets
            .iter()
            .all(|o| !o.is_empty() && o.len() <= 3 && (digits(o) || redacted(o)))
    {
        return true;
    }
    // IPv6: hex groups with `::` or at least five colons (an optional `]:port` after); a
    // time such as `12:00:03` has neither.
    let v6 = chunk.split(']').next().unwrap_or(chunk);
    (v6.contains("::") || v6.matches(':').count() >= 5)
        && v6
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
}

fn is_timestamp(chunk: &str) -> bool {
    let bytes = chunk.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    // 2024-05-01, 2024/05/01, 2024-05-01T12:00:03Z, 2024-05-01 (a time follows as its own chunk).
    let date = (0..4).all(digit)
        && matches!(bytes.get(4), Some(b'-' | b'/'))
        && digit(5)
        && digit(6)
        && bytes.get(7) == bytes.get(4)
        && digit(8)
        && digit(9);
    // 12:00:03, 12:00:03.120, 12:00:03,120
    let time = digit(0) && digit(1) && bytes.get(2) == Some(&b':') && digit(3) && digit(4);
    date || (time
        && chunk
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ',')))
}

fn is_path(chunk: &str) -> bool {
    let unix = (chunk.starts_with('/') || chunk.starts_with("./") || chunk.starts_with("~/"))
        && chunk[1..].contains('/');
    let bytes = chunk.as_bytes();
    let windows =
        bytes.len() > 3 && bytes[0].is_ascii_alphabetic() && bytes.get(1..3) == Some(b":\\");
    unix || windows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(line: &str) -> String {
        normalize_line(line).to_string()
    }

    #[test]
    fn each_placeholder_kind() {
        let cases = [
            ("at 2024-05-01T12:00:03.120Z done", "at <ts> done"),
            ("at 12:00:03,120 done", "at <ts> done"),
            (
                "trace 3f2b8c1e-9a4d-4e2f-8b1a-0c9d8e7f6a5b done",
                "trace <uuid> done",
            ),
            ("ptr 0x7f3a9c done", "ptr <hex> done"),
            ("commit a3f9c2d1e4b5 done", "commit <hex> done"),
            ("from 10.0.3.12:5432 done", "from <ip> done"),
            ("from [2001:db8::1]:443 done", "from <ip> done"),
            ("from x.x.x.x:25985 done", "from <ip> done"),
            ("[client 192.168.0.XXX] done", "client <ip> done"),
            ("took 42 done", "took <num> done"),
            (
                "timed out after 30000ms done",
                "timed out after <duration> done",
            ),
            (
                "timed out after 30 s done",
                "timed out after <duration> done",
            ),
            ("limit 512MB done", "limit <size> done"),
            (
                "open /var/lib/postgresql/data/base done",
                "open <path> done",
            ),
            ("open C:\\data\\x.db done", "open <path> done"),
            ("A\u{fffd}+ done", "a done"),
            (
                "GET https://api.example.com/v1/x?y=1 done",
                "get <url> done",
            ),
            ("user ops@example.com done", "user <email> done"),
            (
                "relation \"users\" does not exist",
                "relation <quoted> does not exist",
            ),
            ("pod api-7f9c4d8b6-x2kq9 done", "pod <id> done"),
            (
                "rejected execution of … on pool",
                "rejected execution of <*> on pool",
            ),
            (
                "rejected execution of ... on pool",
                "rejected execution of <*> on pool",
            ),
            (
                "Duplicate entry '…' for key '…'",
                "duplicate entry <*> for key <*>",
            ),
            (
                "(1062, \"Duplicate entry 'ai for media, society' for key 'area.ix_name'\")",
                "<num> duplicate entry ai for media society for key <quoted>",
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(norm(line), expected, "{line}");
        }
    }

    #[test]
    fn punctuation_goes_and_words_stay() {
        assert_eq!(
            norm("FATAL:  sorry, too many clients already"),
            "fatal sorry too many clients already"
        );
        assert_eq!(
            norm("java.lang.OutOfMemoryError: Java heap space"),
            "outofmemoryerror java heap space"
        );
        assert_eq!(
            norm("EsRejectedExecutionException[rejected execution"),
            norm(
                "org.elasticsearch.common.util.concurrent.EsRejectedExecutionException: rejected execution"
            )
        );
        assert_eq!(
            norm("org.apache.catalina.loader.WebappClassLoader.clearReferencesThreads The web"),
            "webappclassloader the web"
        );
        assert_eq!(norm("max.poll.interval.ms"), "max.poll.interval.ms");
        assert_eq!(norm("can't connect"), "can't connect");
        assert_eq!(norm("pid=4711 state=idle"), "pid <num> state idle");
    }

    #[test]
    fn a_structured_log_message_field_is_kept_however_short() {
        assert_eq!(
            norm(r#"at=error code=H12 desc="Request timeout" dyno=web.1"#),
            "at error code h12 desc request timeout dyno web.1"
        );
        assert_eq!(
            norm(r#"{"level":"error","msg":"pool exhausted"}"#),
            "<quoted> <quoted> <quoted> pool exhausted"
        );
        // Other short quoted values are still values.
        assert_eq!(
            norm(r#"host="api.example.com" user="ops""#),
            "host <quoted> user <quoted>"
        );
        assert!(is_message_field("at=error desc="));
        assert!(is_message_field(r#"{"Message": "#));
        assert!(!is_message_field("relation "));
        assert!(!is_message_field("errors="));
        assert!(!is_message_field("¥msg¥="));
        assert!(is_message_field("¥ msg="));
    }

    #[test]
    fn an_error_code_is_a_word() {
        assert_eq!(
            norm("Error 522: connection timed out"),
            "error 522 connection timed out"
        );
        assert_eq!(
            norm("ERROR 1213 (40001): Deadlock found"),
            "error 1213 <num> deadlock found"
        );
        // Elsewhere a number is a value, and so is a long one after `error`.
        assert_eq!(
            norm("curl: (28) Connection timed out after 30001 milliseconds"),
            "curl <num> connection timed out after <duration>"
        );
        assert_eq!(norm("error 1234567 rows"), "error <num> rows");
    }

    #[test]
    fn an_elided_amount_with_its_unit_is_that_kind_of_amount() {
        // A signature's `… ms` is the duration a line prints, not any run of words and `ms`.
        assert_eq!(
            norm("LOG:  duration: … ms  statement: …"),
            norm("LOG:  duration: 15234.567 ms  statement: …")
        );
        assert_eq!(
            norm("shorter than … bytes."),
            norm("shorter than 262144 bytes.")
        );
        // Without a unit after it, an elided part stays one.
        assert_ne!(norm("after … retries"), norm("after 3 retries"));
        // Inside a word as well: Celery's `(60s)`, Heroku's `mem=2565M`.
        assert_eq!(
            norm("Hard time limit (…s) exceeded for task[…]"),
            "hard time limit <duration> exceeded for task <*>"
        );
        assert_eq!(
            norm("Process running mem=…M(…%)"),
            "process running mem <duration> <*>"
        );
    }

    #[test]
    fn two_prints_of_one_message_are_one_template() {
        let a = norm(
            "2024-05-01 12:00:03.120 ERROR [pool-1] HikariPool-1 - Connection is not available, request timed out after 30000ms.",
        );
        let b = norm(
            "2024-06-11 08:14:59.002 ERROR [pool-7] HikariPool-1 - Connection is not available, request timed out after 30004ms.",
        );
        assert_eq!(a, b);
    }

    #[test]
    fn compatibility_characters_read_as_plain_ones() {
        // The micro sign and the Greek mu, a PDF's ligature, full-width letters.
        assert_eq!(norm("request took 250µs"), norm("request took 250μs"));
        assert_eq!(norm("request took 250µs"), norm("request took 250us"));
        assert_eq!(
            norm("missing conﬁguration ＯＯＭ"),
            norm("missing configuration OOM")
        );
    }

    #[test]
    fn stack_frames_are_not_messages() {
        let text = "java.lang.OutOfMemoryError: Java heap space\n\tat com.example.Cache.put(Cache.java:42)\n\t... 12 more\nTraceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n    at handler (/app/server.js:3:9)\n";
        let lines: Vec<_> = message_lines(text, 4096)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(lines, vec![1, 4]);
    }
}
