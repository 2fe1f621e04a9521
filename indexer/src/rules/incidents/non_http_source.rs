//! I003 non-http-source.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::incidents::{incident_items, source_of};

/// The rule.
pub static RULE: Rule = Rule {
    code: "I003",
    name: "non-http-source",
    family: Family::Incidents,
    default_severity: Severity::Error,
    fixable: false,
    summary: "An incident source that is not an http(s) URL",
    doc: r#"## What it does
Checks that each incident's source is an absolute `http://` or `https://` URL with a host.

## Why is this bad?
A source like `internal wiki` or `see slack` cannot be followed by a reader; it is not a
public source.

## Example
```yaml
source: our incident doc
```

Use instead:
```yaml
source: https://example.com/post-mortem
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some((_, _, items)) = incident_items(ctx) else {
        return;
    };
    for item in items {
        let Some(source) = source_of(item) else {
            continue;
        };
        let url = source.as_str().unwrap_or("");
        if !is_http_url(url) {
            let (message, label) = if url.starts_with("http://") || url.starts_with("https://") {
                (
                    format!("source `{url}` has no public host name"),
                    "not a public address",
                )
            } else {
                (format!("source `{url}` is not an http(s) URL"), "not a URL")
            };
            out.push(
                Diagnostic::new(&RULE, ctx.index, source.span.clone(), message)
                    .label(label)
                    .help("use the https:// address of the public post-mortem or report"),
            );
        }
    }
}

fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        host.contains('.') && !host.contains(char::is_whitespace) && !url.contains(' ')
    })
}

#[cfg(test)]
mod tests {
    use super::is_http_url;

    #[test]
    fn urls_need_a_scheme_and_a_host() {
        assert!(is_http_url(
            "https://github.blog/2018-10-30-oct21-post-incident-analysis/"
        ));
        assert!(!is_http_url("ftp://x.y/z"));
        assert!(!is_http_url("https://localhost"));
        assert!(!is_http_url("our wiki"));
    }
}
