//! Synthetic catalogs for benchmarks: N template-valid articles with random edges, written by
//! the hidden `catalog generate` command. Deterministic for a given seed and source of words.
//!
//! Prose is drawn from the words of real articles (the bundled catalog's, by default), each as
//! often as its rank in them says (Zipf: the word of rank r is drawn in proportion to 1/r).
//! Posting lists then look like a real site's: a few words in most sections, most words in
//! few. A small uniform vocabulary put every word in every section, a case no site has.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::{Error, Result};

const CATEGORIES: &[&str] = &[
    "concurrency",
    "availability",
    "scalability",
    "consistency",
    "performance",
    "data-integrity",
    "cost-optimization",
];
const DIFFICULTIES: &[&str] = &["beginner", "intermediate", "advanced"];
const DOMAINS: &[&str] = &[
    "databases",
    "caching",
    "messaging",
    "payments",
    "search",
    "storage",
];
const INDUSTRIES: &[&str] = &["retail", "finance", "media", "saas", "gaming"];
const IMPACTS: &[&str] = &["downtime", "data-loss", "revenue-loss", "customer-trust"];
const TAGS: &[&str] = &[
    "caching",
    "retries",
    "timeouts",
    "sharding",
    "replication",
    "idempotency",
    "locking",
    "queueing",
    "indexing",
    "batching",
    "backpressure",
    "failover",
];
/// Words drawn when no source of prose is given (tests).
const WORDS: &[&str] = &[
    "request",
    "latency",
    "database",
    "connection",
    "pool",
    "replica",
    "cache",
    "shard",
    "queue",
    "worker",
    "timeout",
    "retry",
    "lock",
    "transaction",
    "write",
    "read",
    "partition",
    "leader",
    "client",
    "server",
    "spike",
    "backlog",
    "throughput",
    "memory",
    "thread",
    "index",
    "query",
    "event",
    "consumer",
    "producer",
    "stale",
    "duplicate",
    "order",
    "payment",
    "checkout",
    "node",
];

/// Words with their cumulative Zipf weights.
pub struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Vocabulary {
    /// Words ranked most frequent first.
    pub fn ranked(words: Vec<String>) -> Vocabulary {
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    /// The words of every markdown file under `root`, most frequent first (letters only,
    /// lower-cased, two letters or more; front matter and markup included, as a site has
    /// them).
    pub fn from_prose(root: &Path) -> Result<Vocabulary> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|err| Error::io(&dir, err))?;
            for entry in entries {
                let entry = entry.map_err(|err| Error::io(&dir, err))?;
                let path = entry.path();
                let kind = entry.file_type().map_err(|err| Error::io(&path, err))?;
                if kind.is_dir() && !entry.file_name().to_string_lossy().starts_with('.') {
                    stack.push(path);
                } else if kind.is_file() && path.extension().is_some_and(|ext| ext == "md") {
                    let text =
                        std::fs::read_to_string(&path).map_err(|err| Error::io(&path, err))?;
                    for word in text.split(|c: char| !c.is_alphabetic()) {
                        if word.chars().count() >= 2 {
                            *counts.entry(word.to_lowercase()).or_default() += 1;
                        }
                    }
                }
            }
        }
        if counts.len() < WORDS.len() {
            return Err(Error::Usage(format!(
                "{} holds too little prose to draw words from ({} distinct words)",
                root.display(),
                counts.len()
            )));
        }
        let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(Vocabulary::ranked(
            ranked.into_iter().map(|(word, _)| word).collect(),
        ))
    }

    /// The built-in words, equally likely.
    fn uniform() -> Vocabulary {
        let words: Vec<String> = WORDS.iter().map(|word| word.to_string()).collect();
        let cumulative = (1..=words.len()).map(|n| n as f64).collect();
        Vocabulary { words, cumulative }
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether it holds no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// A small deterministic generator (xorshift64*) and the words it draws.
struct Rng {
    state: u64,
    words: Vocabulary,
}

impl Rng {
    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// A word of the vocabulary, drawn by its weight.
    fn word(&mut self) -> &str {
        let total = self.words.cumulative.last().copied().unwrap_or(0.0);
        let at = (self.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let index = self
            .words
            .cumulative
            .partition_point(|weight| *weight <= at)
            .min(self.words.words.len().saturating_sub(1));
        &self.words.words[index]
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut out = String::new();
        for i in 0..words {
            if i > 0 {
                out.push(' ');
            }
            let word = self.word().to_string();
            out.push_str(&word);
        }
        out.push('.');
        out
    }

    fn paragraph(&mut self) -> String {
        (0..3 + self.below(3))
            .map(|_| {
                let n = 8 + self.below(8);
                self.sentence(n)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The id of generated article `n`.
pub fn generated_id(n: usize) -> String {
    format!("{}/problem-{n:05}", CATEGORIES[n % CATEGORIES.len()])
}

/// Writes `count` articles and a `catalog.toml` under `dir`.
pub fn generate(dir: &Path, count: usize, seed: u64, words: Option<Vocabulary>) -> Result<()> {
    let mut rng = Rng {
        state: seed.max(1),
        words: words.unwrap_or_else(Vocabulary::uniform),
    };
    for category in CATEGORIES {
        let folder = dir.join(category);
        std::fs::create_dir_all(&folder).map_err(|err| Error::io(&folder, err))?;
    }
    let config_path = dir.join("catalog.toml");
    std::fs::write(&config_path, config_text()).map_err(|err| Error::io(&config_path, err))?;
    for n in 0..count {
        let id = generated_id(n);
        let mut related = Vec::new();
        while related.len() < 2.min(count.saturating_sub(1)) {
            let other = rng.below(count);
            let other_id = generated_id(other);
            if other != n && !related.contains(&other_id) {
                related.push(other_id);
            }
        }
        let text = article(&mut rng, n, &related);
        let path = dir.join(format!("{id}.md"));
        std::fs::write(&path, text).map_err(|err| Error::io(&path, err))?;
    }
    Ok(())
}

fn article(rng: &mut Rng, n: usize, related: &[String]) -> String {
    let category = CATEGORIES[n % CATEGORIES.len()];
    let (first, second) = (rng.word().to_string(), rng.word().to_string());
    let title = format!("Synthetic Problem {n}: {first} {second}");
    let mut tags: Vec<&str> = (0..3).map(|_| rng.pick(TAGS)).collect();
    tags.sort_unstable();
    tags.dedup();
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: \"{title}\"");
    let _ = writeln!(out, "summary: \"{}\"", rng.sentence(12));
    let _ = writeln!(out, "category: {category}");
    let _ = writeln!(out, "domain: {}", rng.pick(DOMAINS));
    let _ = writeln!(out, "industry: {}", rng.pick(INDUSTRIES));
    let _ = writeln!(out, "difficulty: {}", rng.pick(DIFFICULTIES));
    let _ = writeln!(out, "impact: [{}]", rng.pick(IMPACTS));
    let _ = writeln!(out, "tags: [{}]", tags.join(", "));
    out.push_str("symptoms:\n");
    for _ in 0..4 {
        let _ = writeln!(out, "  - {}", rng.sentence(6).trim_end_matches('.'));
    }
    let _ = writeln!(out, "related: [{}]", related.join(", "));
    out.push_str("---\n\n");
    let _ = writeln!(out, "# {title}\n");
    for (level, heading) in [
        (2, "The Scenario"),
        (2, "The Failure"),
        (3, "Why Obvious Solutions Fail"),
        (2, "Real-World Examples"),
    ] {
        let _ = writeln!(
            out,
            "{} {heading}\n\n{}\n",
            "#".repeat(level),
            rng.paragraph()
        );
    }
    out.push_str("## The Solution: Three Approaches\n\n");
    for number in 1..=3 {
        let (first, second) = (rng.word().to_string(), rng.word().to_string());
        let _ = writeln!(out, "### Approach {number}: {first} {second}\n");
        for label in [
            "The Core Idea",
            "How It Prevents the Failure",
            "Why This Works",
            "Key Insight",
            "The Trade-off",
        ] {
            let _ = writeln!(out, "**{label}:** {}\n", rng.paragraph());
        }
    }
    for heading in [
        "Performance Comparison",
        "Detection & Monitoring",
        "How to Recover",
    ] {
        let _ = writeln!(out, "## {heading}\n\n{}\n", rng.paragraph());
    }
    out.push_str("## Similar Problems\n\n");
    for id in related {
        let _ = writeln!(out, "- [{id}](/{id}#the-scenario)");
    }
    let _ = writeln!(out, "\n## Key Takeaways\n\n{}", rng.paragraph());
    out
}

fn config_text() -> String {
    let list = |items: &[&str]| {
        items
            .iter()
            .map(|item| format!("\"{item}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from("# Generated by `catalog generate` for benchmarks.\n\n");
    for category in CATEGORIES {
        let _ = writeln!(
            out,
            "[[categories]]\nkey = \"{category}\"\nlabel = \"{category}\"\ntarget = 100\n"
        );
    }
    let _ = writeln!(
        out,
        "[vocabularies]\ndifficulty = [{}]\ndomain = [{}]\nindustry = [{}]\nimpact = [{}]\ntags = [{}]\n",
        list(DIFFICULTIES),
        list(DOMAINS),
        list(INDUSTRIES),
        list(IMPACTS),
        list(TAGS)
    );
    out.push_str(
        r#"[fields.title]
type = "string"
required = true

[fields.summary]
type = "string"
required = true

[fields.category]
type = "string"
required = true
vocabulary = "categories"
match_folder = true

[fields.domain]
type = "string"
required = true
vocabulary = "domain"

[fields.industry]
type = "string"
required = true
vocabulary = "industry"

[fields.difficulty]
type = "string"
required = true
vocabulary = "difficulty"

[fields.impact]
type = "list"
required = true
vocabulary = "impact"

[fields.tags]
type = "list"
required = true
vocabulary = "tags"
min_items = 1

[fields.symptoms]
type = "list"
required = true
min_items = 4

[fields.incidents]
type = "incidents"

[edges.related]
required = true
min_items = 2

[template]

[[template.sections]]
heading = "The Scenario"

[[template.sections]]
heading = "The Failure"

[[template.sections]]
heading = "Why Obvious Solutions Fail"
level = 3

[[template.sections]]
heading = "Real-World Examples"
role = "incidents"

[[template.sections]]
heading = "The Solution: Three Approaches"
role = "approaches"

[[template.sections]]
heading = "Performance Comparison"

[[template.sections]]
heading = "Detection & Monitoring"
role = "detection"

[[template.sections]]
heading = "How to Recover"
role = "recovery"

[[template.sections]]
heading = "Similar Problems"
role = "related"

[[template.sections]]
heading = "Key Takeaways"

[template.approaches]
pattern = '^Approach (?P<number>\d+):\s*(?P<name>.+)$'
min = 3
labels = ["The Core Idea", "How It Prevents", "Why This Works", "Key Insight", "The Trade-off"]
"#,
    );
    out
}
