//! I004 incident-year-out-of-range.

use crate::config::Severity;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, DocContext, Family, Rule};
use crate::rules::incidents::incident_items;

/// The rule.
pub static RULE: Rule = Rule {
    code: "I004",
    name: "incident-year-out-of-range",
    family: Family::Incidents,
    default_severity: Severity::Error,
    fixable: false,
    summary: "An incident year that is not a year between 1960 and this year",
    doc: r#"## What it does
Checks that an incident's `year` is an integer from 1960 to the current year.

## Why is this bad?
A year in the future or a typo such as `20019` breaks sorting and timelines, and usually
hides a copy-paste mistake in the incident itself.

## Example
```yaml
year: 20019
```

Use instead:
```yaml
year: 2019
```
"#,
    check: Check::Document(check),
};

/// The first year accepted.
pub const FIRST_YEAR: i64 = 1960;

fn check(ctx: &DocContext, out: &mut Vec<Diagnostic>) {
    let Some((_, _, items)) = incident_items(ctx) else {
        return;
    };
    let last = crate::clock::current_year();
    for item in items {
        let Some(year) = item.get("year").filter(|node| !node.is_null()) else {
            continue;
        };
        let text = year.as_str().unwrap_or("");
        let (message, label) = match text.parse::<i64>() {
            Ok(value) if (FIRST_YEAR..=last).contains(&value) => continue,
            Ok(value) if value > last => (
                format!("incident year `{text}` is in the future"),
                "after this year",
            ),
            Ok(_) => (
                format!("incident year `{text}` is before {FIRST_YEAR}"),
                "too early",
            ),
            Err(_) => (
                format!("incident year `{text}` is not a number"),
                "not a year",
            ),
        };
        out.push(
            Diagnostic::new(&RULE, ctx.index, year.span.clone(), message)
                .label(label)
                .help("write the four-digit year the incident happened"),
        );
    }
}
