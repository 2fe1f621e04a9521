//! F012 ambiguous-alias.

use crate::config::Severity;
use crate::front_matter::Node;
use crate::lint::diagnostic::Diagnostic;
use crate::lint::rule::{Check, Family, Rule, TreeContext};
use crate::model::field_node;
use crate::rules::front_matter::values;
use crate::triage::{ModelParts, ProblemEntry, TriageModel};

/// The rule.
pub static RULE: Rule = Rule {
    code: "F012",
    name: "ambiguous-alias",
    family: Family::FrontMatter,
    default_severity: Severity::Error,
    fixable: false,
    summary: "An alias that names no problem, repeats one, or also names another problem",
    doc: r#"## What it does
Reads each alias as triage does (its words stemmed, without stop words such as `a` or
`the`, in any order) and reports an alias with no word left, an alias that repeats an
earlier one of the same record, and an alias whose words another record's name holds or
that holds all the words of another record's name. A record's names are its aliases, its
id's last part (`memory-leak`) and its title before a colon (`Split Brain: …`).

## Why is this bad?
`catalog triage` takes a ruled-out statement that uses a problem's name (`a cache stampede,
the cache never expired`) as ruling that problem out of the running. A name two records
share rules out both, and the engineer loses the one that was right.

## Example
```yaml
# availability/thundering-herd.md
aliases: [cache stampede, stampede]
# consistency/cache-invalidation-race.md
aliases: [stale cache, cache stampede]
```

Use instead:
```yaml
# availability/thundering-herd.md
aliases: [cache stampede, dogpile]
# consistency/cache-invalidation-race.md
aliases: [stale cache]
```
"#,
    check: Check::Tree(check),
};

fn check(ctx: &TreeContext, out: &mut Vec<Diagnostic>) {
    let config = &ctx.tree.config;
    if !config.raw.fields.contains_key("aliases") {
        return;
    }
    // Problem index in the model → document index.
    let mut documents: Vec<usize> = Vec::new();
    let mut problems: Vec<ProblemEntry> = Vec::new();
    for (index, record) in ctx.tree.records.iter().enumerate() {
        if let Some(record) = record {
            documents.push(index);
            problems.push(ProblemEntry {
                id: record.id.clone(),
                title: record.title.clone(),
                aliases: record.aliases.clone(),
            });
        }
    }
    let model = TriageModel::new(ModelParts {
        problems,
        ..ModelParts::default()
    });
    // Only records have an entry in `tree.records`, so every document here is one.
    for (problem, &index) in (0u32..).zip(&documents) {
        let Some(node) = field_node(&ctx.tree.docs[index], config, "aliases") else {
            continue;
        };
        let mut own: Vec<Vec<String>> = Vec::new();
        for (alias, item) in values(node) {
            let words = model.name_words(alias);
            let message = if words.is_empty() {
                Some((
                    format!("alias `{alias}` has no word triage can recognise"),
                    "name the problem in words".to_string(),
                ))
            } else if own.contains(&words) {
                Some((
                    format!("alias `{alias}` repeats an earlier alias of this record"),
                    "remove the repeated alias".to_string(),
                ))
            } else {
                other_named(&model, problem, &words, &documents).map(|other| {
                    (
                        format!("alias `{alias}` also names `{}`", ctx.tree.docs[other].id),
                        "give each problem names only it answers to".to_string(),
                    )
                })
            };
            own.push(words);
            if let Some((message, help)) = message {
                out.push(alias_diagnostic(index, item, message, help));
            }
        }
    }
}

/// The document of another problem that `words` also names: one of its names holds them all,
/// or they hold all of one of its names.
fn other_named(
    model: &TriageModel,
    problem: u32,
    words: &[String],
    documents: &[usize],
) -> Option<usize> {
    let holds = |outer: &[String], inner: &[String]| inner.iter().all(|w| outer.contains(w));
    (0..documents.len() as u32)
        .filter(|&other| other != problem)
        .find(|&other| {
            model
                .names_of(other)
                .iter()
                .any(|name| holds(name, words) || holds(words, name))
        })
        .and_then(|other| documents.get(other as usize).copied())
}

fn alias_diagnostic(index: usize, item: &Node, message: String, help: String) -> Diagnostic {
    Diagnostic::new(&RULE, index, item.span.clone(), message)
        .label("alias")
        .help(help)
}
