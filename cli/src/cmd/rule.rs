//! `catalog rule`.

use anyhow::{Result, bail};
use catalog_indexer::lint::find_rule;
use catalog_indexer::rules::RULES;
use clap::Args;

use crate::ExitStatus;

/// Explain a lint rule: what it checks, why, and an example.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule code (`F004`) or name (`value-not-in-vocabulary`).
    #[arg(required_unless_present = "all")]
    code: Option<String>,
    /// List every rule with its code, default severity and whether it can be fixed.
    #[arg(long, conflicts_with = "code")]
    all: bool,
}

pub fn run(args: RuleArgs) -> Result<ExitStatus> {
    let mut out = String::new();
    if args.all {
        for rule in RULES {
            let fix = if rule.fixable { "[*]" } else { "   " };
            outln!(
                out,
                "{:<5} {fix} {:<32} {:<8} {}",
                rule.code,
                rule.name,
                rule.default_severity.name(),
                rule.summary
            );
        }
        crate::emit(&out)?;
        return Ok(ExitStatus::Success);
    }
    let code = args.code.unwrap_or_default();
    let Some(rule) = find_rule(&code) else {
        bail!("unknown rule `{code}` (run `catalog rule --all` for the list)");
    };
    outln!(out, "# {} ({})\n", rule.name, rule.code);
    outln!(
        out,
        "Family: {}. Default severity: {}. Fix: {}.\n",
        rule.family.name(),
        rule.default_severity.name(),
        if rule.fixable {
            "available with `--fix`"
        } else {
            "none"
        }
    );
    outln!(out, "{}\n", rule.summary);
    outp!(out, "{}", rule.doc);
    crate::emit(&out)?;
    Ok(ExitStatus::Success)
}
