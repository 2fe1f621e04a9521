//! X004 link-outside-root.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, Family, Rule, TreeContext};

/// The rule.
pub static RULE: Rule = Rule {
    code: "X004",
    name: "link-outside-root",
    family: Family::Files,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A symbolic link in the catalog leads outside it, or nowhere",
    doc: r#"## What it does
Reports symbolic links inside the content root whose target is outside the root, or does
not exist. `catalog` never reads such a file: `lint` does not check it, `index` leaves it
out and `serve` never publishes it.

## Why is this bad?
Whatever the link points at would be indexed and served to anyone who can reach the API:
`../../.env`, a home folder, `/etc/passwd`. A catalog is a folder you can publish as it is;
everything it holds must live inside it.

## Example
```text
availability/notes.md -> /home/me/private/notes.md
```

Use instead: copy the article into the catalog, or link to it from an article.
"#,
    check: Check::Tree(check),
};

fn check(ctx: &TreeContext, out: &mut Vec<Diagnostic>) {
    let start = ctx.tree.outside_links_start();
    for (offset, link) in ctx.tree.outside_links.iter().enumerate() {
        out.push(
            Diagnostic::new(
                &RULE,
                start + offset,
                0..0,
                format!(
                    "`{}` is a symbolic link that leads outside the catalog (or nowhere); it is not read",
                    link.rel_path
                ),
            )
            .help("copy the file into the catalog, or remove the link"),
        );
    }
}
