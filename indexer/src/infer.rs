//! `catalog init`: infers a `catalog.toml` for an existing docs folder from what is there —
//! the front-matter fields and their value sets, which lists hold ids of other records, the
//! reverse field if there is one, and the sections most records share.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use crate::config::role_words;
use crate::config::{
    ApproachSpec, CatalogConfig, Config, EdgeSpec, FieldSpec, FieldType, LinksSection, SectionSpec,
    Template,
};
use crate::front_matter::{Node, ScalarKind, Value};
use crate::markdown::normalize_heading;
use crate::model::{Document, DocumentKind, is_prose, parse_link_target, parse_reference};
use crate::tree::{Resolution, Tree};

/// Names under which sites keep a reverse list of the records pointing at a record.
const REVERSE_NAMES: &[&str] = &["linked_from", "backlinks", "referenced_by", "inbound_links"];
/// Values longer than this, or with more words, are prose rather than a vocabulary.
const MAX_VOCABULARY_VALUE: usize = 40;
/// A heading shared by at least this share of a group's records joins the template.
const SHARED_HEADING: f64 = 0.6;

/// A closed vocabulary has at most this many values …
const MAX_CLOSED_VALUES: usize = 15;
/// … each used this many times on average.
const MIN_USES_PER_VALUE: usize = 3;
/// A heading shared by at least this many records is given the role its words suggest.
const ROLE_HEADING_MIN: usize = 3;

/// Words that say which role a section plays, tried in this order on the heading's words.
const ROLE_WORDS: &[(&str, &[&str])] = &[
    (
        "related",
        &[
            "related",
            "similar problems",
            "see also",
            "further reading",
            "references",
            "resources",
        ],
    ),
    (
        "incidents",
        &[
            "real world examples",
            "real world impact",
            "real world incidents",
            "incidents",
            "production failure story",
            "war stories",
            "postmortems",
            "outages",
        ],
    ),
    (
        "detection",
        &[
            "detection",
            "detect",
            "detecting",
            "monitoring",
            "observability playbook",
            "how to know",
            "alerting",
        ],
    ),
    (
        "recovery",
        &[
            "recovery",
            "recover",
            "recovering",
            "mitigation",
            "runbook",
            "incident response",
        ],
    ),
    (
        "symptoms",
        &[
            "symptoms",
            "symptom",
            "warning signs",
            "what you see",
            "how it shows up",
            "quick overview",
        ],
    ),
    (
        "summary",
        &["^overview", "tl dr", "tldr", "at a glance", "key takeaways"],
    ),
    (
        "approaches",
        &[
            "solutions",
            "right solution",
            "right solutions",
            "solution landscape",
            "approaches",
            "how to fix",
        ],
    ),
    ("scenario", &["scenario"]),
];

/// Words that make a heading about what does not work, whatever else it names.
const NOT_APPROACHES: &[&str] = &[
    "why", "fail", "fails", "wrong", "naive", "pitfalls", "mistakes",
];

/// The role a heading's words suggest, if any. A phrase starting with `^` must open the
/// heading.
fn role_of_heading(heading: &str) -> Option<&'static str> {
    let words = format!(" {} ", role_words(heading));
    let has = |phrase: &str| match phrase.strip_prefix('^') {
        Some(start) => words.starts_with(&format!(" {start} ")),
        None => words.contains(&format!(" {phrase} ")),
    };
    ROLE_WORDS.iter().find_map(|(role, phrases)| {
        let negated = *role == "approaches" && NOT_APPROACHES.iter().any(|word| has(word));
        (!negated && phrases.iter().any(|phrase| has(phrase))).then_some(*role)
    })
}

/// What `init` inferred, with the configuration it will write.
#[derive(Debug)]
pub struct Inference {
    /// The configuration.
    pub config: CatalogConfig,
    /// Records seen.
    pub records: usize,
    /// Records without front matter.
    pub without_front_matter: usize,
}

impl Inference {
    /// A human summary of what was inferred.
    pub fn describe(&self) -> String {
        let config = &self.config;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} records ({} without front matter)",
            self.records, self.without_front_matter
        );
        let _ = writeln!(out, "fields:");
        for (name, spec) in &config.fields {
            let from = spec
                .from
                .as_deref()
                .map(|f| format!(" from `{f}`"))
                .unwrap_or_default();
            let vocabulary = spec
                .vocabulary
                .as_deref()
                .and_then(|v| config.vocabularies.get(v))
                .map(|values| format!(", {} allowed values", values.len()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {name:<14} {}{}{from}{vocabulary}",
                spec.kind.name(),
                if spec.required { ", required" } else { "" },
            );
        }
        if !config.catalog.extra_fields.is_empty() {
            let _ = writeln!(
                out,
                "kept as is: {}",
                config.catalog.extra_fields.join(", ")
            );
        }
        let _ = writeln!(out, "edges:");
        for (name, spec) in &config.edges {
            let reverse = spec
                .reverse
                .as_deref()
                .map(|r| format!(", reverse `{r}`"))
                .unwrap_or_default();
            let _ = writeln!(out, "  {name}{reverse}");
        }
        if let Some(reverse) = &config.links.reverse {
            let _ = writeln!(out, "markdown links also feed `{reverse}`");
        }
        let defaults = crate::config::CatalogSection::default().not_records;
        let routers: Vec<&str> = config
            .catalog
            .not_records
            .iter()
            .filter(|glob| !defaults.contains(glob))
            .map(String::as_str)
            .collect();
        if !routers.is_empty() {
            let _ = writeln!(
                out,
                "not records (router and status files): {}",
                routers.join(", ")
            );
        }
        if !config.search.problems.is_empty() {
            let _ = writeln!(
                out,
                "problem write-ups (ranked first at a comparable match): {}",
                config.search.problems.join(", ")
            );
        }
        if !config.roles.is_empty() {
            let _ = writeln!(out, "section roles:");
            for (role, headings) in &config.roles {
                let _ = writeln!(out, "  {role:<11} {}", headings.join(" | "));
            }
        }
        if let Some(template) = &config.template {
            let _ = writeln!(out, "template for {}:", template.paths.join(", "));
            for section in &template.sections {
                let _ = writeln!(
                    out,
                    "  {} {}{}",
                    "#".repeat(usize::from(section.level)),
                    section.heading,
                    if section.required { "" } else { " (optional)" }
                );
            }
            if let Some(approaches) = &template.approaches {
                let _ = writeln!(
                    out,
                    "  approaches: `{}`, at least {}",
                    approaches.pattern, approaches.min
                );
            }
        }
        out
    }
}

#[derive(Default)]
struct KeyStats {
    count: usize,
    kinds: BTreeSet<&'static str>,
    values: BTreeMap<String, usize>,
    long_values: bool,
    map_keys: BTreeSet<String>,
    min_items: Option<usize>,
    resolving: usize,
    references: usize,
}

/// Infers a configuration for the tree at `config.root` (read with default settings).
pub fn infer(tree: &Tree) -> Inference {
    let records: Vec<&Document> = tree
        .docs
        .iter()
        .filter(|doc| doc.kind == DocumentKind::Record)
        .collect();
    let with_yaml: Vec<&Document> = records
        .iter()
        .copied()
        .filter(|doc| doc.yaml.is_some())
        .collect();
    let mut stats: BTreeMap<String, KeyStats> = BTreeMap::new();
    for doc in &with_yaml {
        let Some(root) = &doc.yaml else { continue };
        for entry in root.entries() {
            let Some(key) = entry.key.as_str() else {
                continue;
            };
            let stat = stats.entry(key.to_string()).or_default();
            stat.count += 1;
            observe(tree, &entry.value, stat);
        }
    }
    let mut config = CatalogConfig::default();
    let routers = router_files(tree, &records);
    for name in &routers {
        let glob = format!("**/{name}");
        if !config.catalog.not_records.contains(&glob) {
            config.catalog.not_records.push(glob);
        }
    }
    let records: Vec<&Document> = records
        .into_iter()
        .filter(|doc| !routers.contains(file_name(doc)))
        .collect();
    let total = with_yaml.len();
    let reverse = stats
        .iter()
        .find(|(key, stat)| {
            REVERSE_NAMES.contains(&key.as_str()) && stat.kinds.iter().all(|k| *k == "list")
        })
        .map(|(key, _)| key.clone());
    // Edge fields: lists whose values mostly resolve to records.
    for (key, stat) in &stats {
        if Some(key) == reverse.as_ref() || stat.kinds.iter().any(|k| *k != "list") {
            continue;
        }
        if stat.references > 0 && stat.resolving * 2 >= stat.references {
            config.edges.insert(
                key.clone(),
                EdgeSpec {
                    kind: None,
                    required: false,
                    min_items: None,
                    reverse: reverse.clone(),
                },
            );
        }
    }
    pair_reverse_edges(tree, &records, &mut config);
    if let Some(reverse) = &reverse
        && reverse_needs_links(tree, reverse, &config)
    {
        config.links = LinksSection {
            reverse: Some(reverse.clone()),
        };
    }
    // Fields.
    let folder_of = |doc: &Document| doc.folder().rsplit('/').next().unwrap_or("").to_string();
    let category_matches_folder = |key: &str, item: Option<usize>| {
        let mut seen = 0;
        let mut matching = 0;
        for doc in &with_yaml {
            let node = doc.field(key);
            let value = match item {
                Some(index) => node
                    .and_then(Node::items)
                    .and_then(|items| items.get(index)),
                None => node,
            };
            if let Some(value) = value.and_then(Node::as_str) {
                seen += 1;
                matching += usize::from(value == folder_of(doc));
            }
        }
        seen > 0 && matching * 5 >= seen * 4
    };
    let mut category_from: Option<String> = None;
    if stats.contains_key("category") && category_matches_folder("category", None) {
        category_from = Some("category".into());
    } else if let Some((key, _)) = stats
        .iter()
        .find(|(key, stat)| stat.kinds.contains("list") && category_matches_folder(key, Some(0)))
    {
        category_from = Some(format!("{key}[0]"));
    }
    for (key, stat) in &stats {
        if config.edges.contains_key(key)
            || Some(key) == reverse.as_ref()
            || config
                .edges
                .values()
                .any(|edge| edge.reverse.as_deref() == Some(key.as_str()))
        {
            continue;
        }
        let canonical = match key.as_str() {
            "description" if !stats.contains_key("summary") => "summary",
            // Other names for the problem, as triage and the search read them.
            "aka" | "also_known_as" | "also-known-as" if !stats.contains_key("aliases") => {
                "aliases"
            }
            "category" if category_from.as_deref() != Some("category") => {
                config.catalog.extra_fields.push(key.clone());
                continue;
            }
            other => other,
        };
        let kind = field_type(stat);
        let vocabulary = (matches!(kind, FieldType::String | FieldType::List)
            && !matches!(
                canonical,
                "title" | "summary" | "symptoms" | "tags" | "aliases" | "reports"
            )
            && is_closed_set(stat))
        .then(|| {
            let name = canonical.to_string();
            config
                .vocabularies
                .insert(name.clone(), stat.values.keys().cloned().collect());
            name
        });
        config.fields.insert(
            canonical.to_string(),
            FieldSpec {
                kind,
                required: total > 0 && stat.count == total,
                vocabulary,
                from: (canonical != key).then(|| key.clone()),
                match_folder: canonical == "category",
                min_items: None,
            },
        );
    }
    if category_from.is_none() {
        let categories = folder_categories(tree, &records);
        if categories.len() >= 2 {
            category_from = Some("top-folder".into());
            config.categories = categories;
        }
    }
    match category_from.as_deref() {
        Some("category") | None => {}
        Some(from) => {
            config.fields.insert(
                "category".into(),
                FieldSpec {
                    kind: FieldType::String,
                    required: false,
                    vocabulary: None,
                    from: Some(from.to_string()),
                    match_folder: false,
                    min_items: None,
                },
            );
        }
    }
    config.template = infer_template(&records);
    config.roles = infer_roles(&records);
    config.search.problems = infer_problem_writeups(&records);
    // Tag order is a house style; a site that does not keep it is not wrong.
    let unsorted = with_yaml.iter().any(|doc| {
        let tags: Vec<&str> = doc
            .field("tags")
            .and_then(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
            .collect();
        tags.windows(2).any(|pair| pair[0] > pair[1])
    });
    if unsorted {
        config
            .lint
            .severity
            .insert("unsorted-tags".into(), crate::config::Severity::Off);
    }
    Inference {
        config,
        records: records.len(),
        without_front_matter: records.len() - with_yaml.len(),
    }
}

/// Words in a folder's name that say it holds problem write-ups (`failures`,
/// `problems-at-scale`, `incidents`, …).
const PROBLEM_FOLDER_WORDS: &[&str] = &[
    "failure",
    "failures",
    "problem",
    "problems",
    "incident",
    "incidents",
    "postmortem",
    "postmortems",
    "outage",
    "outages",
    "pitfall",
    "pitfalls",
    "antipattern",
    "antipatterns",
    "troubleshooting",
];

/// Whether a folder's name says it holds problem write-ups.
fn is_problem_folder(name: &str) -> bool {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| PROBLEM_FOLDER_WORDS.contains(&word))
}

/// The roles of sections only a problem write-up has: its incidents, how it is detected,
/// how to recover.
const PROBLEM_ROLES: &[&str] = &["incidents", "detection", "recovery"];

/// Whether a record has a section that plays a role only problem write-ups play.
fn has_problem_sections(doc: &Document) -> bool {
    doc.body
        .headings
        .iter()
        .filter(|heading| heading.level > 1)
        .filter_map(|heading| role_of_heading(&role_words(&heading.text)))
        .any(|role| PROBLEM_ROLES.contains(&role))
}

/// `[search] problems`: on a site that mixes problem write-ups with other pages (guides,
/// concepts, exercises), the folders that hold the write-ups, as globs. A folder qualifies
/// when its name says so (`failures`, `problems-at-scale`, `incidents`) and its records agree:
/// at least half of them, and twice the site's share, have an incident, detection or recovery
/// section (`system-design-problems` names exercises, not failures). Nothing when no record,
/// or every record, is in such a folder: there is nothing to prefer.
fn infer_problem_writeups(records: &[&Document]) -> Vec<String> {
    // Folder name -> (records, records with problem sections).
    let mut folders: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut site = 0;
    for doc in records {
        let problem_like = has_problem_sections(doc);
        site += usize::from(problem_like);
        if let Some(name) = doc
            .folder()
            .split('/')
            .rfind(|name| is_problem_folder(name))
        {
            let entry = folders.entry(name).or_default();
            entry.0 += 1;
            entry.1 += usize::from(problem_like);
        }
    }
    let site_share = site as f64 / records.len().max(1) as f64;
    let chosen: Vec<(&str, usize)> = folders
        .into_iter()
        .filter(|(_, (count, like))| {
            let share = *like as f64 / *count as f64;
            share >= 0.5 && share >= 2.0 * site_share
        })
        .map(|(name, (count, _))| (name, count))
        .collect();
    let inside: usize = chosen.iter().map(|(_, count)| count).sum();
    if inside == 0 || inside >= records.len() {
        return Vec::new();
    }
    chosen
        .into_iter()
        .map(|(name, _)| format!("**/{name}/**"))
        .collect()
}

/// Whether a field's values look like a closed set (difficulty, status, layer): a few short
/// values, each used several times, none a number with a unit (`15 min`). Tags, free text and
/// measurements stay open, so a new article with a new tag or reading time is not an error.
fn is_closed_set(stat: &KeyStats) -> bool {
    let distinct = stat.values.len();
    let uses: usize = stat.values.values().sum();
    !stat.long_values
        && (1..=MAX_CLOSED_VALUES).contains(&distinct)
        && uses >= distinct * MIN_USES_PER_VALUE
        && !stat
            .values
            .keys()
            .any(|value| value.starts_with(|c: char| c.is_ascii_digit()))
}

/// A file's name (`CONTEXT.md`).
fn file_name(doc: &Document) -> &str {
    doc.file
        .rel_path
        .rsplit('/')
        .next()
        .unwrap_or(&doc.file.rel_path)
}

/// Names of the router and status files a site keeps beside its articles (`CONTEXT.md`,
/// `STATUS.md`, `README.md`): files without front matter, named in capitals, that the
/// navigation file of their folder does not list.
fn router_files(tree: &Tree, records: &[&Document]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for doc in records.iter().filter(|doc| doc.yaml.is_none()) {
        let name = file_name(doc);
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        let capitals = stem.chars().any(|c| c.is_ascii_uppercase())
            && stem
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !capitals {
            continue;
        }
        let folder = doc.folder();
        let listed = tree.meta_files.iter().any(|meta| {
            let meta_folder = meta
                .rel_path
                .rsplit_once('/')
                .map_or("", |(folder, _)| folder);
            meta_folder == folder && meta.text.contains(stem)
        });
        if !listed {
            names.insert(name.to_string());
        }
    }
    names
}

fn observe(tree: &Tree, node: &Node, stat: &mut KeyStats) {
    let note_value = |text: &str, stat: &mut KeyStats| {
        if text.len() > MAX_VOCABULARY_VALUE || text.split_whitespace().count() > 3 {
            stat.long_values = true;
        }
        *stat.values.entry(text.to_string()).or_default() += 1;
    };
    match &node.value {
        Value::Scalar(scalar) => {
            stat.kinds.insert(match scalar.kind {
                ScalarKind::Null => return,
                ScalarKind::Bool => "boolean",
                ScalarKind::Int => "integer",
                ScalarKind::Float => "number",
                ScalarKind::Str if is_date(&scalar.text) => "date",
                ScalarKind::Str => "string",
            });
            note_value(&scalar.text, stat);
        }
        Value::Seq { items, .. } => {
            let maps = items.iter().all(|item| matches!(item.value, Value::Map(_)));
            stat.kinds.insert(if maps && !items.is_empty() {
                "maps"
            } else {
                "list"
            });
            stat.min_items = Some(stat.min_items.map_or(items.len(), |m| m.min(items.len())));
            for item in items {
                match &item.value {
                    Value::Map(entries) => {
                        for entry in entries {
                            if let Some(key) = entry.key.as_str() {
                                stat.map_keys.insert(key.to_string());
                            }
                        }
                    }
                    Value::Scalar(_) => {
                        if let Some(text) = item.as_str() {
                            note_value(text, stat);
                            if is_prose(text) {
                                continue;
                            }
                            stat.references += 1;
                            let path = parse_reference(text).path;
                            if matches!(tree.resolve_id(&path), Resolution::Document(_))
                                || path.contains('/')
                            {
                                stat.resolving += 1;
                            }
                        }
                    }
                    Value::Seq { .. } => stat.long_values = true,
                }
            }
        }
        Value::Map(_) => {
            stat.kinds.insert("map");
        }
    }
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

fn field_type(stat: &KeyStats) -> FieldType {
    let kinds: Vec<&str> = stat.kinds.iter().copied().collect();
    match kinds.as_slice() {
        ["string"] => FieldType::String,
        ["date"] => FieldType::Date,
        ["date", "string"] => FieldType::String,
        ["integer"] => FieldType::Integer,
        ["boolean"] => FieldType::Boolean,
        ["list"] | ["list", "string"] => FieldType::List,
        ["maps"] if stat.map_keys.contains("text") && !stat.map_keys.contains("company") => {
            FieldType::Signatures
        }
        ["maps"] if stat.map_keys.contains("url") => FieldType::References,
        ["maps"] if stat.map_keys.contains("source") || stat.map_keys.contains("company") => {
            FieldType::Incidents
        }
        ["map"] => FieldType::Map,
        [] => FieldType::Any,
        _ => FieldType::Any,
    }
}

/// Pairs of edge fields where one lists exactly the records that point here through the other
/// (`causes` and `caused_by`): the second becomes the first's reverse field, kept in sync by
/// lint, rather than an edge of its own. The forward field is the one whose name does not end
/// in `by`.
fn pair_reverse_edges(tree: &Tree, records: &[&Document], config: &mut CatalogConfig) {
    let links = |field: &str| -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for doc in records {
            for item in doc.field(field).and_then(Node::items).unwrap_or_default() {
                if let Some(text) = item.as_str()
                    && let Resolution::Document(target) =
                        tree.resolve_id(&parse_reference(text).path)
                {
                    out.insert((doc.id.clone(), tree.docs[target].id.clone()));
                }
            }
        }
        out
    };
    let mut keys: Vec<String> = config.edges.keys().cloned().collect();
    // `causes` before `caused_by`: the forward field first.
    keys.sort_by_key(|key| (key.ends_with("by"), key.clone()));
    for forward in &keys {
        for backward in &keys {
            if forward == backward
                || !config.edges.contains_key(forward)
                || !config.edges.contains_key(backward)
            {
                continue;
            }
            let there = links(forward);
            if there.is_empty() {
                continue;
            }
            let back: BTreeSet<(String, String)> = links(backward)
                .into_iter()
                .map(|(from, to)| (to, from))
                .collect();
            if there == back {
                config.edges.remove(backward);
                if let Some(edge) = config.edges.get_mut(forward) {
                    edge.reverse = Some(backward.clone());
                }
            }
        }
    }
}

/// Whether some record is listed in a reverse field only because of a markdown link.
fn reverse_needs_links(tree: &Tree, reverse: &str, config: &CatalogConfig) -> bool {
    let mut by_edges: HashMap<usize, BTreeSet<String>> = HashMap::new();
    let mut by_links: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for doc in tree
        .docs
        .iter()
        .filter(|doc| doc.kind == DocumentKind::Record)
    {
        for field in config.edges.keys() {
            for item in doc.field(field).and_then(Node::items).unwrap_or_default() {
                if let Some(text) = item.as_str()
                    && let Resolution::Document(target) =
                        tree.resolve_id(&parse_reference(text).path)
                {
                    by_edges.entry(target).or_default().insert(doc.id.clone());
                }
            }
        }
        for link in &doc.body.links {
            if let Some(reference) = parse_link_target(&link.dest, doc.folder())
                && let Resolution::Document(target) = tree.resolve_link(&reference.path)
            {
                by_links.entry(target).or_default().insert(doc.id.clone());
            }
        }
    }
    tree.docs.iter().enumerate().any(|(index, doc)| {
        doc.field(reverse)
            .and_then(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
            .any(|listed| {
                let id = parse_reference(listed).path;
                !by_edges.get(&index).is_some_and(|set| set.contains(&id))
                    && by_links.get(&index).is_some_and(|set| set.contains(&id))
            })
    })
}

/// The sections shared by most records of the largest top-level folder.
fn infer_template(records: &[&Document]) -> Option<Template> {
    let mut groups: BTreeMap<&str, Vec<&Document>> = BTreeMap::new();
    for doc in records {
        let top = doc.file.rel_path.split('/').next().unwrap_or("");
        if doc.file.rel_path.contains('/') && doc.yaml.is_some() {
            groups.entry(top).or_default().push(doc);
        }
    }
    let (top, docs) = groups.into_iter().max_by_key(|(_, docs)| docs.len())?;
    if docs.len() < 2 {
        return None;
    }
    // (level, normalized) -> (records having it, a heading as written, positions)
    let mut seen: BTreeMap<(u8, String), (usize, String, Vec<usize>)> = BTreeMap::new();
    let approach =
        regex::Regex::new(r"^(?i)(Approach|Solution|Option|Strategy)\s+\d+\s*[:.]").ok()?;
    let mut approach_counts: Vec<usize> = Vec::new();
    let mut approach_word: Option<(String, u8)> = None;
    for doc in &docs {
        let mut here = BTreeSet::new();
        let mut approaches = 0;
        for (position, heading) in doc.body.headings.iter().enumerate() {
            if heading.level == 1 {
                continue;
            }
            if let Some(captures) = approach.captures(&heading.text) {
                approaches += 1;
                approach_word.get_or_insert((captures[1].to_string(), heading.level));
                continue;
            }
            let key = (heading.level, normalize_heading(&heading.text));
            if here.insert(key.clone()) {
                let entry = seen
                    .entry(key)
                    .or_insert_with(|| (0, heading.text.clone(), Vec::new()));
                entry.0 += 1;
                entry.2.push(position);
            }
        }
        if approaches > 0 {
            approach_counts.push(approaches);
        }
    }
    let total = docs.len() as f64;
    let mut shared: Vec<(f64, SectionSpec)> = seen
        .into_iter()
        .filter(|(_, (count, _, _))| *count as f64 / total >= SHARED_HEADING)
        .map(|((level, _), (count, text, positions))| {
            let heading = text.clone();
            let mean = positions.iter().sum::<usize>() as f64 / positions.len() as f64;
            (
                mean,
                SectionSpec {
                    heading: text,
                    pattern: None,
                    level,
                    required: count == docs.len(),
                    role: role_of_heading(&heading).map(str::to_string),
                },
            )
        })
        .collect();
    shared.sort_by(|a, b| a.0.total_cmp(&b.0));
    let approaches = approach_word
        .filter(|_| approach_counts.len() as f64 / total >= SHARED_HEADING)
        .map(|(word, level)| ApproachSpec {
            pattern: format!(r"^{word} (?P<number>\d+)[:.]\s*(?P<name>.+)$"),
            level,
            heading: Some(format!("{word} {{n}}: {{name}}")),
            min: approach_counts.iter().copied().min().unwrap_or(0),
            labels: Vec::new(),
        });
    let title_heading = docs.iter().all(|doc| {
        let title = doc.field("title").and_then(Node::as_str);
        match (title, doc.body.headings.first()) {
            (Some(title), Some(heading)) => {
                heading.level == 1 && heading.text.trim() == title.trim()
            }
            _ => false,
        }
    });
    Some(Template {
        paths: vec![format!("{top}/**")],
        title_heading,
        min_incidents: 0,
        sections: shared.into_iter().map(|(_, spec)| spec).collect(),
        approaches,
    })
}

/// Categories from the top-level folders holding records, in the order and with the titles
/// of the root navigation file when it lists them (`'01-databases': { title: '🗄️ Databases' }`
/// gives the label `Databases` and the emoji `🗄️`), else by name. Targets are left at 0: a
/// site says how many problems it means to document.
fn folder_categories(tree: &Tree, records: &[&Document]) -> Vec<crate::config::Category> {
    let mut folders: BTreeSet<&str> = BTreeSet::new();
    for doc in records {
        if let Some((top, _)) = doc.file.rel_path.split_once('/') {
            folders.insert(top);
        }
    }
    let mut titles: Vec<(String, String)> = Vec::new();
    if let Some(meta) = tree
        .meta_files
        .iter()
        .find(|meta| !meta.rel_path.contains('/'))
        && let Ok(entries) = crate::rules::navigation::meta::parse_meta(&meta.text)
    {
        for entry in entries {
            if let Some(title) = meta_title(&meta.text[entry.range.end.min(meta.text.len())..]) {
                titles.push((entry.key, title));
            }
        }
    }
    let mut ordered: Vec<&str> = titles
        .iter()
        .map(|(key, _)| key.as_str())
        .filter(|key| folders.contains(key))
        .collect();
    let unlisted: Vec<&str> = folders
        .iter()
        .copied()
        .filter(|folder| !ordered.contains(folder))
        .collect();
    ordered.extend(unlisted);
    ordered
        .into_iter()
        .map(|folder| {
            let title = titles
                .iter()
                .find(|(key, _)| key == folder)
                .map(|(_, title)| title.clone())
                .unwrap_or_else(|| folder_label(folder));
            let split = title
                .char_indices()
                .find(|(_, c)| c.is_alphanumeric())
                .map_or(0, |(at, _)| at);
            let (emoji, label) = title.split_at(split);
            crate::config::Category {
                key: folder.to_string(),
                label: if label.trim().is_empty() {
                    folder_label(folder)
                } else {
                    label.trim().to_string()
                },
                emoji: Some(emoji.trim().to_string()).filter(|emoji| !emoji.is_empty()),
                target: 0,
            }
        })
        .collect()
}

/// The title after a navigation key: `: 'Title'` or `: { …, title: 'Title', … }`.
fn meta_title(after_key: &str) -> Option<String> {
    let pattern = regex::Regex::new(
        r#"^['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|\{[^{}]*?\btitle\s*:\s*(?:'([^']*)'|"([^"]*)"))"#,
    )
    .ok()?;
    let captures = pattern.captures(after_key)?;
    (1..=4)
        .find_map(|group| captures.get(group))
        .map(|m| m.as_str().trim().to_string())
        .filter(|title| !title.is_empty())
}

/// A folder name as a label: `01-databases` → `Databases`.
fn folder_label(folder: &str) -> String {
    let words = folder
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_')
        .replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => folder.to_string(),
    }
}

/// `[roles]`: headings shared by a few records whose words say what the section holds, each
/// as most often written.
fn infer_roles(records: &[&Document]) -> BTreeMap<String, Vec<String>> {
    // normalised heading -> (records having it, spellings with counts)
    let mut seen: BTreeMap<String, (usize, BTreeMap<&str, usize>)> = BTreeMap::new();
    for doc in records {
        let mut here = BTreeSet::new();
        for heading in doc.body.headings.iter().filter(|h| h.level > 1) {
            let normalized = role_words(&heading.text);
            let entry = seen.entry(normalized.clone()).or_default();
            *entry.1.entry(heading.text.trim()).or_default() += 1;
            if here.insert(normalized) {
                entry.0 += 1;
            }
        }
    }
    let mut roles: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (normalized, (count, spellings)) in seen {
        if count < ROLE_HEADING_MIN {
            continue;
        }
        let Some(role) = role_of_heading(&normalized) else {
            continue;
        };
        let written = spellings
            .iter()
            .max_by_key(|(text, n)| (**n, std::cmp::Reverse(**text)))
            .map_or(normalized.clone(), |(text, _)| (*text).to_string());
        roles.entry(role.to_string()).or_default().push(written);
    }
    roles
}

/// Renders the inferred configuration with a header comment.
pub fn to_toml(inference: &Inference) -> String {
    let body = toml::to_string_pretty(&inference.config).unwrap_or_default();
    format!(
        "# Inferred by `catalog init` from {} records. Review it, then run `catalog lint`.\n\n{body}",
        inference.records
    )
}

/// Loads the folder with default settings and infers its configuration.
pub fn infer_folder(root: &std::path::Path) -> crate::Result<Inference> {
    let config = Config::from_raw(root, None, CatalogConfig::default(), "")?;
    let tree = Tree::load(config)?;
    Ok(infer(&tree))
}
