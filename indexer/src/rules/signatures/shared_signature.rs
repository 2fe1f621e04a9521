//! G005 shared-signature.

use std::collections::HashMap;

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule, TreeContext};
use crate::rules::signatures::{signature_items, text_of};
use crate::triage::normalize::normalize_line;

/// The rule.
pub static RULE: Rule = Rule {
    code: "G005",
    name: "shared-signature",
    family: Family::Signatures,
    default_severity: Severity::Warning,
    fixable: false,
    summary: "A signature that another record also lists, once values are replaced",
    doc: r#"## What it does
Normalises every signature as triage does and reports a signature whose template a record
earlier in the tree already lists.

## Why is this bad?
A pasted line that matches it matches both records equally, so triage cannot tell them
apart by that line: the two tie, and the engineer learns nothing from the match. Keep the
message in the record whose mechanism prints it, or, when both mechanisms really print it,
give each record a second message that only its own mechanism prints.

## Example
```yaml
# data-integrity/migration-failure.md
signatures:
  - text: "Lock wait timeout exceeded; try restarting transaction"
# concurrency/database-deadlock.md
signatures:
  - text: "Lock wait timeout exceeded; try restarting transaction"
```

Use instead:
```yaml
# data-integrity/migration-failure.md
signatures:
  - text: "Waiting for table metadata lock"
# concurrency/database-deadlock.md
signatures:
  - text: "Lock wait timeout exceeded; try restarting transaction"
```
"#,
    check: Check::Tree(check),
};

fn check(ctx: &TreeContext, out: &mut Vec<Diagnostic>) {
    // The first record (in tree order) to list each template.
    let mut first: HashMap<String, usize> = HashMap::new();
    for (index, doc) in ctx.tree.docs.iter().enumerate() {
        let doc_ctx = DocContext {
            tree: ctx.tree,
            graph: ctx.graph,
            index,
            doc,
            record: ctx.tree.records[index].as_deref(),
        };
        let mut own: Vec<String> = Vec::new();
        for item in signature_items(&doc_ctx) {
            let Some((node, text)) = text_of(item) else {
                continue;
            };
            let template = normalize_line(text).to_string();
            if template.is_empty() || own.contains(&template) {
                // A repeat within the record is G003's finding.
                continue;
            }
            // Templates this record lists are in `own`, so an earlier one is another record's.
            match first.get(&template) {
                Some(&earlier) => out.push(
                    Diagnostic::new(
                        &RULE,
                        index,
                        node.span.clone(),
                        format!(
                            "`{}` lists this signature too, once values are replaced (`{template}`)",
                            ctx.tree.docs[earlier].id
                        ),
                    )
                    .label("also in another record")
                    .help(
                        "keep it in the record whose mechanism prints it, or add a message only this record's mechanism prints",
                    ),
                ),
                None => {
                    first.insert(template.clone(), index);
                }
            }
            own.push(template);
        }
    }
}
