//! Which rules run, at which severity, for which files.

use std::collections::HashMap;

use crate::config::{Config, Severity};
use crate::lint::rule::Rule;
use crate::rules::RULES;
use crate::source::LineIndex;
use crate::{Error, Result};

/// Finds a rule by code (`F004`) or name (`value-not-in-vocabulary`), case-insensitively.
pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|rule| {
        rule.code.eq_ignore_ascii_case(code_or_name) || rule.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// Whether a selector (a code, a name, a code prefix such as `F` or `F00`, or `ALL`) names
/// the rule.
pub fn selects(selector: &str, rule: &Rule) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || rule.name.eq_ignore_ascii_case(selector)
        || rule
            .code
            .get(..selector.len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(selector))
}

/// Whether a selector names at least one rule.
pub fn is_valid_selector(selector: &str) -> bool {
    RULES.iter().any(|rule| selects(selector, rule))
}

/// Effective lint settings.
#[derive(Debug, Clone)]
pub struct Settings {
    severities: HashMap<&'static str, Severity>,
    /// Warnings fail the run.
    pub deny_warnings: bool,
}

impl Settings {
    /// Reads `[lint]` of the configuration; unknown rule names are a configuration error.
    pub fn from_config(config: &Config) -> Result<Settings> {
        let mut severities: HashMap<&'static str, Severity> = RULES
            .iter()
            .map(|rule| (rule.code, rule.default_severity))
            .collect();
        let config_text = config
            .file
            .as_ref()
            .and_then(|file| std::fs::read_to_string(file).ok())
            .unwrap_or_default();
        let unknown = |selector: &str| {
            let offset = config_text.find(selector).unwrap_or(0);
            let (line, column) = LineIndex::new(&config_text).position(&config_text, offset);
            Error::Config {
                path: config.file.clone().unwrap_or_default(),
                line,
                column,
                message: format!(
                    "`{selector}` is not a rule code, name or prefix (run `catalog rule --all`)"
                ),
            }
        };
        for (selector, severity) in &config.raw.lint.severity {
            if !is_valid_selector(selector) {
                return Err(unknown(selector));
            }
            for rule in RULES.iter().filter(|rule| selects(selector, rule)) {
                severities.insert(rule.code, *severity);
            }
        }
        for selectors in config.raw.lint.per_file_ignores.values() {
            if let Some(selector) = selectors.iter().find(|s| !is_valid_selector(s)) {
                return Err(unknown(selector));
            }
        }
        Ok(Settings {
            severities,
            deny_warnings: false,
        })
    }

    /// Settings that run only `rule`, at its default severity (for rule fixtures).
    pub fn only(rule: &Rule) -> Settings {
        let severities = RULES
            .iter()
            .map(|other| {
                let severity = if other.code == rule.code {
                    other.default_severity
                } else {
                    Severity::Off
                };
                (other.code, severity)
            })
            .collect();
        Settings {
            severities,
            deny_warnings: false,
        }
    }

    /// The severity of a rule.
    pub fn severity(&self, rule: &Rule) -> Severity {
        self.severities
            .get(rule.code)
            .copied()
            .unwrap_or(rule.default_severity)
    }

    /// Whether a rule runs on a file.
    pub fn enabled_for(&self, config: &Config, rule: &Rule, rel_path: &str) -> bool {
        self.severity(rule) != Severity::Off
            && !config
                .ignored_rules(rel_path)
                .any(|selector| selects(selector, rule))
    }
}
