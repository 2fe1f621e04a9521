//! G004 unmatchable-signature.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::signatures::{signature_items, text_of};
use crate::triage::normalize::normalize_line;

/// Words a signature needs once values are replaced.
const MIN_WORDS: usize = 2;

/// The rule.
pub static RULE: Rule = Rule {
    code: "G004",
    name: "unmatchable-signature",
    family: Family::Signatures,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A signature with fewer than two words once values are replaced",
    doc: r#"## What it does
Normalises every signature as triage does and checks that at least two words are left once
numbers, durations, sizes, addresses, paths, ids and quoted values become placeholders.

## Why is this bad?
Triage tells messages apart by their words. A signature that is only values (`137`,
`"10.0.0.1:5432"`) or one word (`ERROR`) would match lines of every kind, so triage cannot use
it as evidence for this problem.

## Example
```yaml
signatures:
  - text: "exit code 137"
  - text: "OOMKilled"
```

Use instead:
```yaml
signatures:
  - text: "Last State: Terminated, Reason: OOMKilled, Exit Code: 137"
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    for item in signature_items(ctx) {
        let Some((node, text)) = text_of(item) else {
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let template = normalize_line(text);
        let words = template.words().count();
        if words >= MIN_WORDS {
            continue;
        }
        out.push(
            Diagnostic::new(
                &RULE,
                ctx.index,
                node.span.clone(),
                format!(
                    "signature `{}` leaves {words} word{} once values are replaced (`{template}`)",
                    text.trim(),
                    if words == 1 { "" } else { "s" }
                ),
            )
            .label("matches lines of any kind")
            .help("quote the whole message as the software prints it, with the words around the values"),
        );
    }
}
