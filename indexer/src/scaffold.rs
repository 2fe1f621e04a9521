//! `catalog new`: an article skeleton written from the configuration, so that it follows
//! whatever template `catalog.toml` declares. Every placeholder says `TODO`, which lint
//! reports (`placeholder-text`) until it is replaced.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::config::{Config, FieldSource, FieldType};
use crate::lint::suggest::did_you_mean;
use crate::{Error, Result};

/// Checks the category and slug, and returns the new file's path and text.
pub fn skeleton(config: &Config, category: &str, slug: &str) -> Result<(PathBuf, String)> {
    let categories: Vec<&str> = config
        .raw
        .categories
        .iter()
        .map(|c| c.key.as_str())
        .collect();
    if !categories.is_empty() && !categories.contains(&category) {
        let hint = match did_you_mean(category, categories.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("categories: {}", categories.join(", ")),
        };
        return Err(Error::Usage(format!(
            "unknown category `{category}`: {hint}"
        )));
    }
    let valid_segment = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
    };
    if !category.split('/').all(valid_segment) {
        return Err(Error::Usage(format!(
            "category `{category}` must be lower-case kebab-case"
        )));
    }
    if !valid_segment(slug) {
        return Err(Error::Usage(format!(
            "slug `{slug}` must be lower-case kebab-case, such as `retry-storm`"
        )));
    }
    let path = config.root.join(category).join(format!("{slug}.md"));
    Ok((path, render(config, category)))
}

fn render(config: &Config, category: &str) -> String {
    let mut out = String::from("---\n");
    let mut fields: Vec<_> = config.raw.fields.iter().collect();
    // Required fields first, in the order of the file; `title` always leads.
    fields.sort_by_key(|(name, spec)| (name.as_str() != "title", !spec.required));
    for (name, spec) in fields {
        let key = match config.field_source(name) {
            FieldSource::Key(key) => key,
            FieldSource::Item(key, _) => key,
            FieldSource::Folder | FieldSource::TopFolder => continue,
        };
        let value = match (name.as_str(), spec.kind) {
            ("category", _) => category.to_string(),
            (_, FieldType::List) => {
                let count = spec.min_items.unwrap_or(1).max(1);
                let mut list = String::new();
                for n in 1..=count {
                    let _ = write!(list, "\n  - \"TODO: {name} {n}\"");
                }
                list
            }
            (_, FieldType::Incidents) => "\n  - company: \"TODO: who\"\n    year: 2020\n    summary: \"TODO: one sentence on what happened\"\n    impact: \"TODO: one sentence on the damage\"\n    source: \"https://TODO.example/post-mortem\"".to_string(),
            (_, FieldType::Signatures) => "\n  - text: \"TODO: the log line as the software prints it\"\n    source: \"https://TODO.example/where-it-is-printed\"".to_string(),
            (_, FieldType::Integer) => "0".to_string(),
            (_, FieldType::Boolean) => "false".to_string(),
            (_, FieldType::Date) => "2020-01-01".to_string(),
            _ => match spec.vocabulary.as_deref().and_then(|v| config.vocabulary(v)) {
                Some(values) if !values.is_empty() => format!("TODO  # one of: {}", values.iter().take(12).copied().collect::<Vec<_>>().join(", ")),
                _ => format!("\"TODO: {name}\""),
            },
        };
        let separator = if value.starts_with('\n') { ":" } else { ": " };
        let _ = writeln!(out, "{key}{separator}{value}");
    }
    for (name, spec) in &config.raw.edges {
        // An optional edge (`causes`) starts empty: not every problem has one.
        if !spec.required && spec.min_items.unwrap_or(0) == 0 {
            let _ = writeln!(out, "{name}: []");
            continue;
        }
        let count = spec.min_items.unwrap_or(1).max(1);
        let ids = vec!["TODO"; count].join(", ");
        let _ = writeln!(out, "{name}: [{ids}]");
    }
    out.push_str("---\n\n");
    let template = config.template_for(&format!("{category}/new.md"));
    if template.is_none_or(|t| t.title_heading) {
        out.push_str("# TODO: title\n\n");
    }
    let Some(template) = template else {
        out.push_str("TODO: the article.\n");
        return out;
    };
    for section in &template.sections {
        let _ = writeln!(
            out,
            "{} {}\n",
            "#".repeat(usize::from(section.level)),
            section.heading
        );
        if section.role.as_deref() == Some("approaches")
            && let Some(approaches) = &template.approaches
        {
            let heading = approaches
                .heading
                .as_deref()
                .unwrap_or("Approach {n}: {name}");
            for n in 1..=approaches.min.max(1) {
                let text = heading
                    .replace("{n}", &n.to_string())
                    .replace("{name}", "TODO");
                let _ = writeln!(
                    out,
                    "{} {text}\n",
                    "#".repeat(usize::from(approaches.level))
                );
                for label in &approaches.labels {
                    let _ = writeln!(out, "**{label}:** TODO\n");
                }
            }
        } else {
            out.push_str("TODO\n\n");
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
