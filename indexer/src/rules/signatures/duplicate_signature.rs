//! G003 duplicate-signature.

use std::collections::HashMap;

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::signatures::{signature_items, text_of};
use crate::triage::normalize::normalize_line;

/// The rule.
pub static RULE: Rule = Rule {
    code: "G003",
    name: "duplicate-signature",
    family: Family::Signatures,
    default_severity: Severity::Warning,
    fixable: false,
    summary: "Two signatures of a record that are one message once values are replaced",
    doc: r#"## What it does
Normalises every signature as triage does (numbers, durations, addresses, ids, quoted values
and the like become placeholders) and reports a signature whose template an earlier one of
the same record already has.

## Why is this bad?
The second one matches exactly the lines the first one does: it adds nothing to triage and
hides that a different message is missing.

## Example
```yaml
signatures:
  - text: "Connection is not available, request timed out after 30000ms."
  - text: "Connection is not available, request timed out after 5000ms."
```

Use instead:
```yaml
signatures:
  - text: "Connection is not available, request timed out after 30000ms."
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (position, item) in signature_items(ctx).into_iter().enumerate() {
        let Some((node, text)) = text_of(item) else {
            continue;
        };
        let template = normalize_line(text).to_string();
        if template.is_empty() {
            continue;
        }
        if let Some(first) = seen.get(&template) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    ctx.index,
                    node.span.clone(),
                    format!(
                        "signature {} is signature {} once values are replaced (`{template}`)",
                        position + 1,
                        first + 1
                    ),
                )
                .label("same template")
                .help(
                    "remove it, or replace it with a message the software prints in another case",
                ),
            );
        } else {
            seen.insert(template, position);
        }
    }
}
