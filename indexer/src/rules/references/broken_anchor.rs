//! R003 broken-anchor.

use crate::config::Severity;
use crate::lint::diagnostic::{Diagnostic, Fix};
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::lint::suggest::did_you_mean;
use crate::model::parse_link_target;
use crate::tree::Resolution;

/// The rule.
pub static RULE: Rule = Rule {
    code: "R003",
    name: "broken-anchor",
    family: Family::References,
    default_severity: Severity::Error,
    fixable: true,
    summary: "A link's `#anchor` names no heading of its target",
    doc: r#"## What it does
Checks the `#anchor` of internal links (and of same-page `#links`) against the anchors of
the target's headings, computed the way GitHub and Nextra compute them (lower-case,
punctuation dropped, spaces to `-`, repeated headings numbered) or given explicitly with
`{#id}`.

## Why is this bad?
The link opens the page at the top instead of the section the author meant, typically after
a heading was renamed.

## Example
```markdown
[detection](/availability/retry-storm#detection-and-monitoring)
```

Use instead:
```markdown
[detection](/availability/retry-storm#detection--monitoring)
```

`catalog lint --fix` rewrites the anchor when exactly one heading is a close match.
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let text = &ctx.doc.file.text;
    for link in &ctx.doc.body.links {
        let Some(reference) = parse_link_target(&link.dest, ctx.doc.folder()) else {
            continue;
        };
        let Some(anchor) = reference.anchor.as_deref().filter(|a| !a.is_empty()) else {
            continue;
        };
        let target = if reference.path.is_empty() {
            ctx.index
        } else {
            match ctx.tree.resolve_link(&reference.path) {
                Resolution::Document(index) => index,
                _ => continue,
            }
        };
        let doc = &ctx.tree.docs[target];
        if doc.has_anchor(anchor) {
            continue;
        }
        let anchors = doc.body.headings.iter().map(|h| h.anchor.as_str());
        let suggestion = did_you_mean(anchor, anchors);
        let mut diagnostic = Diagnostic::new(
            &RULE,
            ctx.index,
            link.range.clone(),
            format!("`#{anchor}` is not a heading of `{}`", doc.id),
        )
        .label("no such anchor");
        let anchor_at = text[link.range.clone()].rfind(&format!("#{anchor}"));
        match (suggestion, anchor_at) {
            (Some(close), Some(at)) => {
                let start = link.range.start + at + 1;
                diagnostic =
                    diagnostic
                        .help(format!("did you mean `#{close}`?"))
                        .fix(Fix::replace(
                            format!("replace `#{anchor}` with `#{close}`"),
                            start..start + anchor.len(),
                            close,
                        ));
            }
            (Some(close), None) => {
                diagnostic = diagnostic.help(format!("did you mean `#{close}`?"))
            }
            (None, _) => diagnostic = diagnostic.help("link to one of the target's headings"),
        }
        out.push(diagnostic);
    }
}
