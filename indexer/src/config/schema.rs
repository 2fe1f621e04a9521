//! The serde shape of `catalog.toml`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogConfig {
    /// Where records are and which files are not records.
    #[serde(default)]
    pub catalog: CatalogSection,
    /// Categories with their labels and progress targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    /// Named lists of allowed values (`difficulty`, `domain`, `tags`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vocabularies: BTreeMap<String, Vec<String>>,
    /// Tag spellings rewritten to their canonical form.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tag_aliases: BTreeMap<String, String>,
    /// Front-matter fields by canonical name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldSpec>,
    /// Front-matter lists that hold ids of other records, by field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub edges: BTreeMap<String, EdgeSpec>,
    /// Internal markdown links.
    #[serde(default)]
    pub links: LinksSection,
    /// The body template, if records follow one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Template>,
    /// `[roles]`: sections that play a role in any record, template or not, by heading.
    /// A role names headings as written (`symptoms = ["Quick Overview", "Warning Signs"]`); a
    /// heading matches when its words start with an entry's words, so `Detection` also
    /// matches `Detection: How to Know`. Subsections take their parent's role. A template
    /// section's own `role` wins over this map.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub roles: BTreeMap<String, Vec<String>>,
    /// Lint settings.
    #[serde(default)]
    pub lint: LintSection,
    /// Search settings.
    #[serde(default)]
    pub search: SearchSection,
}

/// `[catalog]`: which files are records.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogSection {
    /// Display name of the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Globs of markdown files that are part of the site.
    #[serde(default = "default_include")]
    pub include: Vec<String>,
    /// Globs of markdown files that are pages of the site but not records.
    #[serde(default = "default_not_records")]
    pub not_records: Vec<String>,
    /// Globs of paths ignored entirely.
    #[serde(default = "default_exclude")]
    pub exclude: Vec<String>,
    /// File names of navigation files (`_meta.js`, `_meta.json`).
    #[serde(default = "default_meta_files")]
    pub meta_files: Vec<String>,
    /// Front-matter keys that are allowed but carry nothing the catalog models.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_fields: Vec<String>,
}

impl Default for CatalogSection {
    fn default() -> Self {
        CatalogSection {
            name: None,
            include: default_include(),
            not_records: default_not_records(),
            exclude: default_exclude(),
            meta_files: default_meta_files(),
            extra_fields: Vec::new(),
        }
    }
}

fn default_include() -> Vec<String> {
    vec!["**/*.md".into(), "**/*.mdx".into()]
}

fn default_not_records() -> Vec<String> {
    vec![
        "**/index.md".into(),
        "**/index.mdx".into(),
        "README.md".into(),
    ]
}

fn default_exclude() -> Vec<String> {
    vec![
        "**/node_modules/**".into(),
        ".catalog/**".into(),
        "**/.git/**".into(),
    ]
}

fn default_meta_files() -> Vec<String> {
    vec!["_meta.js".into(), "_meta.json".into(), "_meta.ts".into()]
}

/// One category: its key (the folder name), label and progress target.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// The key, equal to the folder name of its records.
    pub key: String,
    /// Human label.
    pub label: String,
    /// Optional emoji shown beside the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji: Option<String>,
    /// How many records the category should eventually hold.
    #[serde(default)]
    pub target: u32,
}

/// The type of a front-matter field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    /// A scalar string.
    #[default]
    String,
    /// An integer.
    Integer,
    /// A `YYYY-MM-DD` date.
    Date,
    /// `true` or `false`.
    Boolean,
    /// A list of strings (a single string is accepted as a one-item list).
    List,
    /// A list of incident maps (`company`, `year`, `summary`, `impact`, `source`).
    Incidents,
    /// A list of reference maps (`title`, `url`, `type`).
    References,
    /// A list of signature maps (`text`, `source`): log lines and error messages as real
    /// software prints them, each with where it comes from.
    Signatures,
    /// A map.
    Map,
    /// Anything.
    Any,
}

impl FieldType {
    /// What a value of this type is, for messages ("a list of incident maps").
    pub fn described(self) -> &'static str {
        match self {
            FieldType::String => "a string",
            FieldType::Integer => "an integer",
            FieldType::Date => "a date (YYYY-MM-DD)",
            FieldType::Boolean => "true or false",
            FieldType::List => "a list of strings",
            FieldType::Incidents => "a list of incident maps",
            FieldType::References => "a list of reference maps",
            FieldType::Signatures => "a list of signature maps",
            FieldType::Map => "a map",
            FieldType::Any => "any value",
        }
    }

    /// The name used in `catalog.toml` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Date => "date",
            FieldType::Boolean => "boolean",
            FieldType::List => "list",
            FieldType::Incidents => "incidents",
            FieldType::References => "references",
            FieldType::Signatures => "signatures",
            FieldType::Map => "map",
            FieldType::Any => "any",
        }
    }
}

/// `[fields.NAME]`: one front-matter field under its canonical name.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Value type.
    #[serde(default, rename = "type")]
    pub kind: FieldType,
    /// Whether a record must have it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Name of the vocabulary its values must come from (`categories` for category keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocabulary: Option<String>,
    /// Where the value lives in a foreign site: another key, `key[N]` (an item of a list), or
    /// `folder` (the name of the record's folder) or `top-folder` (the top-level folder holding it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The value must equal the record's folder name.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub match_folder: bool,
    /// Minimum number of items of a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
}

/// `[edges.NAME]`: a front-matter list of ids of other records.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeSpec {
    /// The edge type (defaults to the field name).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Whether a record must have it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Minimum number of ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
    /// A field of the target that lists the records pointing at it, kept in sync by lint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse: Option<String>,
}

/// `[links]`: internal markdown links.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinksSection {
    /// A field of the target that lists the records linking to it, kept in sync by lint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse: Option<String>,
}

/// `[template]`: the body template records follow.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Globs of the records it applies to (all records when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// The body starts with a level-1 heading equal to the title.
    #[serde(default = "yes")]
    pub title_heading: bool,
    /// Minimum number of incidents with a source.
    #[serde(default)]
    pub min_incidents: usize,
    /// Sections, in order.
    #[serde(default)]
    pub sections: Vec<SectionSpec>,
    /// The repeated approach sections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approaches: Option<ApproachSpec>,
}

fn yes() -> bool {
    true
}

fn level_two() -> u8 {
    2
}

fn level_three() -> u8 {
    3
}

/// The roles a section can play. `symptoms` and `summary` are ranked as the record's
/// symptoms and summary, `related` is left out of the ranked text (it names other records),
/// `detection` and `recovery` are shown by `catalog show`, `approaches` is counted by lint.
pub const ROLES: &[&str] = &[
    "symptoms",
    "summary",
    "scenario",
    "detection",
    "recovery",
    "approaches",
    "incidents",
    "related",
];

/// One expected section of the body.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    /// The heading text as written in the template.
    pub heading: String,
    /// A regular expression matched against the heading text instead of `heading`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Heading level.
    #[serde(default = "level_two")]
    pub level: u8,
    /// Whether every record must have it.
    #[serde(default = "yes")]
    pub required: bool,
    /// What the section holds for the catalog: one of [`ROLES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// `[template.approaches]`: the numbered solution sections and their labelled parts.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApproachSpec {
    /// A regular expression for the heading, with optional `number` and `name` groups.
    pub pattern: String,
    /// Heading level.
    #[serde(default = "level_three")]
    pub level: u8,
    /// How `catalog new` writes the heading: `{n}` is the number, `{name}` the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// Minimum number of approaches.
    #[serde(default)]
    pub min: usize,
    /// Bold labels each approach must hold, matched as prefixes, in this order.
    #[serde(default)]
    pub labels: Vec<String>,
}

/// A rule severity as configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The rule is not run.
    Off,
    /// Reported; fails the run only with `--deny-warnings`.
    Warning,
    /// Reported; fails the run.
    Error,
}

impl Severity {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// `[lint]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LintSection {
    /// Severity by rule code or name.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Rule codes or names (or family prefixes like `S`) switched off for path globs.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
}

/// `[search]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchSection {
    /// Path globs of the records that are problem write-ups, on a site that also holds other
    /// pages (guides, concepts, exercises); matched against each record's id (its path without
    /// the extension). Their scores are multiplied by `[search.ranking] problem_prior`. Empty:
    /// every record is a problem write-up, and none is preferred.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// Synonyms.
    #[serde(default)]
    pub synonyms: Synonyms,
    /// `[search.ranking]`: weights of ranking (see `search::Ranking`); unset knobs keep their
    /// defaults.
    #[serde(default, skip_serializing_if = "crate::search::Ranking::is_default")]
    pub ranking: crate::search::Ranking,
}

/// `[search.synonyms]`: groups of terms or phrases that mean the same.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Synonyms {
    /// Each group lists equivalent terms or phrases.
    #[serde(default)]
    pub groups: Vec<Vec<String>>,
}
