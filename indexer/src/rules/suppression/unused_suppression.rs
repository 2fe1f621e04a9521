//! L001 unused-suppression.

use crate::config::Severity;
use crate::lint::rule::{Check, Family, Rule};

/// The rule.
pub static RULE: Rule = Rule {
    code: "L001",
    name: "unused-suppression",
    family: Family::Suppression,
    default_severity: Severity::Warning,
    fixable: false,
    summary: "A `catalog-lint-disable` comment that hides no finding",
    doc: r#"## What it does
Reports a rule named in a `<!-- catalog-lint-disable… -->` comment that suppressed nothing in
its scope: the rest of the file (or up to `catalog-lint-enable`), the next line, or the whole
file.

## Why is this bad?
A stale suppression will hide the next real finding of that rule without anyone deciding so.

## Example
```markdown
<!-- catalog-lint-disable-next-line R002 -- link fixed since -->
See [retry storms](/availability/retry-storm).
```

Use instead: remove the comment.
"#,
    check: Check::Engine,
};
