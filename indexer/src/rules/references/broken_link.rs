//! R002 broken-link.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::lint::suggest::did_you_mean_id;
use crate::model::parse_link_target;
use crate::tree::Resolution;

/// The rule.
pub static RULE: Rule = Rule {
    code: "R002",
    name: "broken-link",
    family: Family::References,
    default_severity: Severity::Error,
    fixable: false,
    summary: "An internal markdown link points at no page, file or folder",
    doc: r#"## What it does
Resolves every internal markdown link (not `http:`, `mailto:` or `//`): a path starting with
`/` from the content root, any other relative to the file's folder, with or without `.md`.
It must name a page, a folder's index page, a file or a folder of the tree.

## Why is this bad?
A broken link is a 404 for the reader, and a missing edge in the catalog's graph.

## Example
```markdown
See [retry storms](/availability/retry-storms).
```

Use instead:
```markdown
See [retry storms](/availability/retry-storm).
```
"#,
    check: Check::Document(check),
};

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    for link in &ctx.doc.body.links {
        let Some(reference) = parse_link_target(&link.dest, ctx.doc.folder()) else {
            continue;
        };
        if reference.path.is_empty()
            || ctx.tree.resolve_link(&reference.path) != Resolution::Missing
        {
            continue;
        }
        let ids: Vec<&str> = ctx.tree.docs.iter().map(|doc| doc.id.as_str()).collect();
        let suggestion = did_you_mean_id(&reference.path, ids.iter().copied());
        out.push(
            Diagnostic::new(&RULE, ctx.index, link.range.clone(), format!("link target `{}` does not exist", link.dest))
                .label(format!("resolves to `{}`", reference.path))
                .help(match suggestion {
                    Some(id) => format!("did you mean `/{id}`?"),
                    None => "link to an existing page; paths starting with `/` are read from the content root".into(),
                }),
        );
    }
}
