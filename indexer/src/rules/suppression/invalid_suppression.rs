//! L002 invalid-suppression.

use crate::config::Severity;
use crate::lint::rule::{Check, Family, Rule};

/// The rule.
pub static RULE: Rule = Rule {
    code: "L002",
    name: "invalid-suppression",
    family: Family::Suppression,
    default_severity: Severity::Error,
    fixable: false,
    summary: "A `catalog-lint-…` comment with an unknown directive or rule",
    doc: r#"## What it does
Checks suppression comments: the directive must be `catalog-lint-disable`,
`catalog-lint-disable-next-line`, `catalog-lint-disable-file` or `catalog-lint-enable`, and
each rule must be a known code, name or prefix. A reason may follow ` -- `.

## Why is this bad?
A misspelled suppression suppresses nothing, and the author believes the finding is handled.

## Example
```markdown
<!-- catalog-lint-disable-next-line R02 -->
```

Use instead:
```markdown
<!-- catalog-lint-disable-next-line R002 -- legacy URL kept for old bookmarks -->
```
"#,
    check: Check::Engine,
};
