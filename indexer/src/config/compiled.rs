//! The loaded configuration: the file's contents plus compiled globs and patterns.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;

use super::CONFIG_FILE;
use super::schema::{CatalogConfig, FieldSpec, ROLES, SectionSpec, Template};
use crate::markdown::normalize_heading;
use crate::source::LineIndex;
use crate::{Error, Result};

/// Matches one template section against heading texts.
#[derive(Debug, Clone)]
pub struct SectionMatcher {
    /// The section as configured.
    pub spec: SectionSpec,
    pattern: Option<Regex>,
    normalized: String,
}

impl SectionMatcher {
    /// Whether a heading of `level` with `text` is this section.
    pub fn matches(&self, level: u8, text: &str) -> bool {
        level == self.spec.level
            && match &self.pattern {
                Some(pattern) => pattern.is_match(text.trim()),
                None => normalize_heading(text) == self.normalized,
            }
    }
}

/// A loaded `catalog.toml` (or the defaults when the folder has none).
#[derive(Debug, Clone)]
pub struct Config {
    /// The content root: the folder holding `catalog.toml`.
    pub root: PathBuf,
    /// The configuration file, when there is one.
    pub file: Option<PathBuf>,
    /// The configuration as written.
    pub raw: CatalogConfig,
    include: GlobSet,
    not_records: GlobSet,
    exclude: GlobSet,
    template_paths: Option<GlobSet>,
    /// Template sections, in order.
    pub sections: Vec<SectionMatcher>,
    /// The approach heading pattern.
    pub approach_pattern: Option<Regex>,
    /// `[roles]`: (normalised heading, role), longest heading first.
    roles: Vec<(String, String)>,
    per_file_ignores: Vec<(GlobSet, Vec<String>)>,
    /// `[search] problems`, when set.
    problem_writeups: Option<GlobSet>,
}

impl Config {
    /// Loads `catalog.toml` from `root`, or the defaults when it does not exist.
    pub fn load(root: &Path) -> Result<Config> {
        let file = root.join(CONFIG_FILE);
        match std::fs::read_to_string(&file) {
            Ok(text) => Config::from_toml(root, Some(file), &text),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Config::from_raw(root, None, CatalogConfig::default(), "")
            }
            Err(err) => Err(Error::io(file, err)),
        }
    }

    /// Parses configuration text for the content root `root`.
    pub fn from_toml(root: &Path, file: Option<PathBuf>, text: &str) -> Result<Config> {
        let shown = file.clone().unwrap_or_else(|| PathBuf::from(CONFIG_FILE));
        let raw: CatalogConfig = toml::from_str(text).map_err(|err| {
            let offset = err.span().map_or(0, |span| span.start);
            let (line, column) = LineIndex::new(text).position(text, offset);
            Error::Config {
                path: shown.clone(),
                line,
                column,
                message: err.message().trim().to_string(),
            }
        })?;
        Config::from_raw(root, file, raw, text)
    }

    /// Compiles an already-parsed configuration. `text` is only used to locate errors.
    pub fn from_raw(
        root: &Path,
        file: Option<PathBuf>,
        raw: CatalogConfig,
        text: &str,
    ) -> Result<Config> {
        let shown = file.clone().unwrap_or_else(|| PathBuf::from(CONFIG_FILE));
        let fail = |needle: &str, message: String| {
            let offset = text.find(needle).unwrap_or(0);
            let (line, column) = LineIndex::new(text).position(text, offset);
            Error::Config {
                path: shown.clone(),
                line,
                column,
                message,
            }
        };
        if let Some((knob, value)) = raw.search.ranking.invalid() {
            return Err(fail(
                "[search.ranking]",
                format!("[search.ranking] {knob} = {value}: weights are numbers of at least 0"),
            ));
        }
        let globs = |patterns: &[String]| -> Result<GlobSet> {
            let mut builder = GlobSetBuilder::new();
            for pattern in patterns {
                let glob = Glob::new(pattern)
                    .map_err(|err| fail(pattern, format!("invalid glob `{pattern}`: {err}")))?;
                builder.add(glob);
            }
            builder
                .build()
                .map_err(|err| fail("", format!("invalid globs: {err}")))
        };
        let include = globs(&raw.catalog.include)?;
        let problem_writeups = if raw.search.problems.is_empty() {
            None
        } else {
            Some(globs(&raw.search.problems)?)
        };
        let not_records = globs(&raw.catalog.not_records)?;
        let exclude = globs(&raw.catalog.exclude)?;
        let mut sections = Vec::new();
        let mut approach_pattern = None;
        let mut template_paths = None;
        if let Some(template) = &raw.template {
            if !template.paths.is_empty() {
                template_paths = Some(globs(&template.paths)?);
            }
            for spec in &template.sections {
                let pattern = match &spec.pattern {
                    Some(pattern) => Some(compile_regex(pattern).map_err(|message| {
                        fail(pattern, format!("invalid section pattern: {message}"))
                    })?),
                    None => None,
                };
                sections.push(SectionMatcher {
                    normalized: normalize_heading(&spec.heading),
                    spec: spec.clone(),
                    pattern,
                });
            }
            if let Some(approaches) = &template.approaches {
                approach_pattern = Some(compile_regex(&approaches.pattern).map_err(|message| {
                    fail(
                        &approaches.pattern,
                        format!("invalid approach pattern: {message}"),
                    )
                })?);
            }
        }
        let role_known = |role: &str, needle: &str| {
            if ROLES.contains(&role) {
                Ok(())
            } else {
                Err(fail(
                    needle,
                    format!(
                        "unknown section role `{role}`; roles are {}",
                        ROLES.join(", ")
                    ),
                ))
            }
        };
        for spec in raw.template.iter().flat_map(|template| &template.sections) {
            if let Some(role) = &spec.role {
                role_known(role, role)?;
            }
        }
        let mut roles = Vec::new();
        for (role, headings) in &raw.roles {
            role_known(role, &format!("{role} ="))?;
            for heading in headings {
                let normalized = role_words(heading);
                if normalized.is_empty() {
                    return Err(fail(
                        heading,
                        format!("[roles] {role}: the heading `{heading}` has no words"),
                    ));
                }
                roles.push((normalized, role.clone()));
            }
        }
        roles.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let mut per_file_ignores = Vec::new();
        for (pattern, rules) in &raw.lint.per_file_ignores {
            per_file_ignores.push((globs(std::slice::from_ref(pattern))?, rules.clone()));
        }
        for (name, spec) in &raw.fields {
            if let Some(vocabulary) = &spec.vocabulary
                && vocabulary != "categories"
                && !raw.vocabularies.contains_key(vocabulary)
            {
                return Err(fail(
                    vocabulary,
                    format!("field `{name}` names an unknown vocabulary `{vocabulary}`"),
                ));
            }
        }
        Ok(Config {
            root: root.to_path_buf(),
            file,
            raw,
            include,
            not_records,
            exclude,
            template_paths,
            sections,
            approach_pattern,
            roles,
            per_file_ignores,
            problem_writeups,
        })
    }

    /// Which records `[search] problems` names as problem write-ups, by id; `None` when it is
    /// unset (every record is one).
    pub fn problem_writeups<'a>(&self, ids: impl Iterator<Item = &'a str>) -> Option<Vec<bool>> {
        let globs = self.problem_writeups.as_ref()?;
        Some(ids.map(|id| globs.is_match(id)).collect())
    }

    /// Whether a path relative to the root is part of the site's markdown.
    pub fn is_markdown(&self, rel_path: &str) -> bool {
        self.include.is_match(rel_path) && !self.exclude.is_match(rel_path)
    }

    /// Whether a path relative to the root is excluded entirely.
    pub fn is_excluded(&self, rel_path: &str) -> bool {
        self.exclude.is_match(rel_path)
    }

    /// Whether a markdown page is a record (not an index page, README, template, …).
    pub fn is_record(&self, rel_path: &str) -> bool {
        self.is_markdown(rel_path) && !self.not_records.is_match(rel_path)
    }

    /// Whether a file name is a navigation file.
    pub fn is_meta_file(&self, file_name: &str) -> bool {
        self.raw
            .catalog
            .meta_files
            .iter()
            .any(|name| name == file_name)
    }

    /// The template that applies to a record, if any.
    pub fn template_for(&self, rel_path: &str) -> Option<&Template> {
        let template = self.raw.template.as_ref()?;
        match &self.template_paths {
            Some(paths) if !paths.is_match(rel_path) => None,
            _ => Some(template),
        }
    }

    /// The role of each of a record's headings, given as (level, text) in order: a template
    /// section's role where the record's template names one, else the first `[roles]` entry
    /// whose words start the heading's; a heading without one takes its parent's. Level-1
    /// headings (the title) have none.
    pub fn section_roles<'a>(
        &'a self,
        rel_path: &str,
        headings: impl IntoIterator<Item = (u8, &'a str)>,
    ) -> Vec<Option<&'a str>> {
        let template = self.template_for(rel_path).is_some();
        let mut parents: Vec<(u8, &str)> = Vec::new();
        let mut out = Vec::new();
        for (level, text) in headings {
            while parents.last().is_some_and(|(parent, _)| *parent >= level) {
                parents.pop();
            }
            if level <= 1 {
                out.push(None);
                continue;
            }
            let own = template
                .then(|| {
                    self.sections
                        .iter()
                        .find(|matcher| matcher.matches(level, text))
                        .and_then(|matcher| matcher.spec.role.as_deref())
                })
                .flatten()
                .or_else(|| self.role_by_heading(text));
            let role = own.or_else(|| parents.last().map(|(_, role)| *role));
            if let Some(own) = own {
                parents.push((level, own));
            }
            out.push(role);
        }
        out
    }

    fn role_by_heading(&self, text: &str) -> Option<&str> {
        if self.roles.is_empty() {
            return None;
        }
        let normalized = role_words(text);
        self.roles.iter().find_map(|(heading, role)| {
            let starts = normalized.starts_with(heading.as_str())
                && matches!(normalized.as_bytes().get(heading.len()), None | Some(b' '));
            starts.then_some(role.as_str())
        })
    }

    /// Rule selectors switched off for a path by `per_file_ignores`.
    pub fn ignored_rules(&self, rel_path: &str) -> impl Iterator<Item = &str> {
        self.per_file_ignores
            .iter()
            .filter(move |(globs, _)| globs.is_match(rel_path))
            .flat_map(|(_, rules)| rules.iter().map(String::as_str))
    }

    /// A field spec by canonical name.
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.raw.fields.get(name)
    }

    /// The allowed values of a vocabulary (`categories` means the category keys).
    pub fn vocabulary(&self, name: &str) -> Option<Vec<&str>> {
        if name == "categories" {
            return Some(
                self.raw
                    .categories
                    .iter()
                    .map(|category| category.key.as_str())
                    .collect(),
            );
        }
        self.raw
            .vocabularies
            .get(name)
            .map(|values| values.iter().map(String::as_str).collect())
    }

    /// The front-matter key a canonical field is read from, and an optional list index.
    pub fn field_source<'a>(&'a self, name: &'a str) -> FieldSource<'a> {
        match self
            .raw
            .fields
            .get(name)
            .and_then(|spec| spec.from.as_deref())
        {
            None => FieldSource::Key(name),
            Some("folder") => FieldSource::Folder,
            Some("top-folder") => FieldSource::TopFolder,
            Some(from) => match from.strip_suffix(']').and_then(|s| s.split_once('[')) {
                Some((key, index)) => match index.parse() {
                    Ok(index) => FieldSource::Item(key, index),
                    Err(_) => FieldSource::Key(from),
                },
                None => FieldSource::Key(from),
            },
        }
    }

    /// Every reverse field named by edges or links.
    pub fn reverse_fields(&self) -> Vec<&str> {
        let mut fields: Vec<&str> = self
            .raw
            .edges
            .values()
            .filter_map(|edge| edge.reverse.as_deref())
            .chain(self.raw.links.reverse.as_deref())
            .collect();
        fields.sort_unstable();
        fields.dedup();
        fields
    }

    /// The search synonym groups, lower-cased as queries are.
    pub fn synonym_groups(&self) -> Vec<Vec<String>> {
        self.raw
            .search
            .synonyms
            .groups
            .iter()
            .map(|group| group.iter().map(|member| member.to_lowercase()).collect())
            .collect()
    }

    /// Whether a front-matter key is described by the configuration.
    pub fn is_known_key(&self, key: &str) -> bool {
        self.raw.edges.contains_key(key)
            || self
                .raw
                .catalog
                .extra_fields
                .iter()
                .any(|extra| extra == key)
            || self.reverse_fields().contains(&key)
            || self.raw.fields.iter().any(|(name, spec)| match &spec.from {
                Some(from) => {
                    from == key || from.split_once('[').is_some_and(|(base, _)| base == key)
                }
                None => name == key,
            })
    }
}

/// A heading's words as `[roles]` compares them: lower case, without punctuation, emoji or
/// a leading number (`## 13. Related Concepts` is `related concepts`).
pub fn role_words(heading: &str) -> String {
    let normalized = normalize_heading(heading);
    let mut rest = normalized.as_str();
    while let Some((first, tail)) = rest.split_once(' ')
        && first.bytes().all(|b| b.is_ascii_digit())
    {
        rest = tail;
    }
    rest.to_string()
}

/// Where a canonical field's value is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldSource<'a> {
    /// A top-level key.
    Key(&'a str),
    /// An item of a list under a key.
    Item(&'a str, usize),
    /// The record's folder name.
    Folder,
    /// The name of the top-level folder holding the record (`from = "top-folder"`): a site's
    /// sections, such as `01-databases`.
    TopFolder,
}

fn compile_regex(pattern: &str) -> std::result::Result<Regex, String> {
    regex::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toml_error_points_at_its_line() {
        let err = Config::from_toml(Path::new("."), None, "[catalog]\nnmae = 1\n").unwrap_err();
        match err {
            Error::Config { line, message, .. } => {
                assert_eq!(line, 2);
                assert!(message.contains("unknown field"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn the_bundled_configuration_loads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../catalog");
        let config = Config::load(&root).expect("bundled catalog.toml loads");
        assert_eq!(config.raw.categories.len(), 7);
        assert!(config.is_record("concurrency/race-condition-inventory.md"));
        assert!(!config.is_record("templates/problem.md"));
    }
}
