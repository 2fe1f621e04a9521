//! Every knob of ranking, in one place, with its default; `[search.ranking]` in catalog.toml
//! overrides any of them without a rebuild of the tool (the index is rebuilt, since
//! catalog.toml changed, but nothing in it depends on these values).
//!
//! How a problem scores (see `engine.rs` and `query.rs`):
//!
//! 1. Each meaningful word of the query is looked up, stemmed, in each field of the problem's
//!    document. Its score there is Tantivy's BM25 (k1 = 1.2, b = 0.75, fixed by Tantivy) times
//!    the field's weight. The word scores the best field plus `field_tie` times the others,
//!    so that a word in the title and the body counts a little more than in the title alone,
//!    but a long body cannot outvote a short symptom.
//! 2. A word the site does not hold (compared unstemmed) is a typo: the nearest words the site
//!    does hold stand in for it, at `typo` of the weight. The last word of a query typed
//!    without a trailing space may be unfinished: words it begins add `prefix` of the weight.
//! 3. Two neighbouring words of the query found near each other (within `proximity_slop`
//!    positions) in a field add `proximity` times that phrase's BM25.
//!    A word the query says again (`orders … order`) adds `repeat` of its weight each time.
//! 4. The sum is multiplied by `coverage ^ coverage_power`, where coverage is the share of the
//!    query's words (each weighted by its rarity) that the problem holds anywhere: a problem
//!    that explains the whole symptom beats one that repeats a single word of it. In a query
//!    of people's words the rarity is raised to `coverage_rarity`; a query that reads as a
//!    program's output (an identifier, a code, `key=value`) counts it in full.
//! 5. On a site where `[search] problems` names the records that are problem write-ups (a
//!    docs site that also holds guides and concept pages), a write-up's score is multiplied by
//!    `problem_prior`: a symptom is searched to find the problem, and at a comparable match
//!    the write-up is the page wanted. A site whose records are all problems leaves it unset.
//! 6. The best section of each problem on the page is found by a second, small query over that
//!    problem's sections only; it chooses the sections listed and their snippets, never the
//!    order of problems.

use serde::{Deserialize, Serialize};

/// The knobs of ranking. Field weights are relative: only their ratios matter.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ranking {
    /// Weight of the title (and aliases).
    pub title: f32,
    /// Weight of symptoms: the front-matter list and sections playing the symptoms role.
    pub symptoms: f32,
    /// Weight of reports: how people have reported a problem in their own words. 0 by default,
    /// so that a search ranks the articles by their own words; triage's statement search
    /// weighs them as symptoms.
    pub reports: f32,
    /// Weight of tags.
    pub tags: f32,
    /// Weight of the summary (or description).
    pub summary: f32,
    /// Weight of section headings.
    pub headings: f32,
    /// Weight of the body: the text of every section.
    pub body: f32,
    /// Share of a word's score in its other fields, added to its best field's (0 = best field
    /// only, 1 = the sum of all fields).
    pub field_tie: f32,
    /// Weight of a word that stands in for a typo, relative to the word typed.
    pub typo: f32,
    /// Weight of words the query's unfinished last word begins.
    pub prefix: f32,
    /// Weight of a synonym from `[search.synonyms]`, relative to the words typed.
    pub synonym: f32,
    /// Weight of two neighbouring query words found near each other.
    pub proximity: f32,
    /// How far apart (in words) two neighbouring query words may be to count as near.
    pub proximity_slop: u32,
    /// Exponent of the share of the query a problem covers (0 = ignored).
    pub coverage_power: f32,
    /// How much a word's rarity decides its part of that share, in a query of people's
    /// words: its BM25 idf raised to this (1 = the idf, 0 = every word the same). A rare word
    /// of a person's sentence is as often the situation's (`headline`, `booking`) as the
    /// problem's; triage's statement search sets it to 0. A query that reads as a program's
    /// output counts rarity in full, whatever this says: there a rare token
    /// (`ER_LOCK_DEADLOCK`) names the problem.
    pub coverage_rarity: f32,
    /// Weight of a word the query already said, relative to its first time (1 = each time in
    /// full, 0 = once).
    pub repeat: f32,
    /// Factor on the score of a problem write-up, on a site where `[search] problems` says
    /// which records are (1 = no preference).
    pub problem_prior: f32,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            title: 4.0,
            symptoms: 3.5,
            reports: 0.0,
            tags: 4.5,
            summary: 3.0,
            headings: 3.0,
            body: 1.5,
            field_tie: 0.3,
            typo: 0.5,
            prefix: 0.3,
            synonym: 0.8,
            proximity: 0.5,
            proximity_slop: 2,
            coverage_power: 0.5,
            coverage_rarity: 0.5,
            repeat: 1.0,
            problem_prior: 2.0,
        }
    }
}

impl Ranking {
    /// The names of the knobs, for messages and the tuning script.
    pub const KNOBS: [&'static str; 17] = [
        "title",
        "symptoms",
        "reports",
        "tags",
        "summary",
        "headings",
        "body",
        "field_tie",
        "typo",
        "prefix",
        "synonym",
        "proximity",
        "proximity_slop",
        "coverage_power",
        "coverage_rarity",
        "repeat",
        "problem_prior",
    ];

    /// Whether every knob has its default (catalog.toml then need not list them).
    pub fn is_default(&self) -> bool {
        *self == Ranking::default()
    }

    /// A knob's value by name.
    pub fn get(&self, knob: &str) -> Option<f32> {
        Some(match knob {
            "title" => self.title,
            "symptoms" => self.symptoms,
            "reports" => self.reports,
            "tags" => self.tags,
            "summary" => self.summary,
            "headings" => self.headings,
            "body" => self.body,
            "field_tie" => self.field_tie,
            "typo" => self.typo,
            "prefix" => self.prefix,
            "synonym" => self.synonym,
            "proximity" => self.proximity,
            "proximity_slop" => self.proximity_slop as f32,
            "coverage_power" => self.coverage_power,
            "coverage_rarity" => self.coverage_rarity,
            "repeat" => self.repeat,
            "problem_prior" => self.problem_prior,
            _ => return None,
        })
    }

    /// Sets a knob by name; false when there is no such knob or the value is not a finite
    /// number of at least 0.
    pub fn set(&mut self, knob: &str, value: f32) -> bool {
        if !value.is_finite() || value < 0.0 {
            return false;
        }
        let slot = match knob {
            "title" => &mut self.title,
            "symptoms" => &mut self.symptoms,
            "reports" => &mut self.reports,
            "tags" => &mut self.tags,
            "summary" => &mut self.summary,
            "headings" => &mut self.headings,
            "body" => &mut self.body,
            "field_tie" => &mut self.field_tie,
            "typo" => &mut self.typo,
            "prefix" => &mut self.prefix,
            "synonym" => &mut self.synonym,
            "proximity" => &mut self.proximity,
            "proximity_slop" => {
                self.proximity_slop = value.round() as u32;
                return true;
            }
            "coverage_power" => &mut self.coverage_power,
            "coverage_rarity" => &mut self.coverage_rarity,
            "repeat" => &mut self.repeat,
            "problem_prior" => &mut self.problem_prior,
            _ => return false,
        };
        *slot = value;
        true
    }

    /// The first knob that is negative or not a number, with its value.
    pub fn invalid(&self) -> Option<(&'static str, f32)> {
        Ranking::KNOBS.iter().find_map(|knob| {
            let value = self.get(knob)?;
            (!value.is_finite() || value < 0.0).then_some((*knob, value))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_knob_reads_and_writes_by_name() {
        let mut ranking = Ranking::default();
        for (index, knob) in Ranking::KNOBS.iter().enumerate() {
            let value = index as f32 + 1.0;
            assert!(ranking.set(knob, value), "{knob}");
            assert_eq!(ranking.get(knob), Some(value), "{knob}");
        }
        assert!(!ranking.set("nope", 1.0));
        assert!(!ranking.set("title", -1.0));
        assert!(!ranking.set("title", f32::NAN));
        assert_eq!(ranking.invalid(), None);
        ranking.body = -2.0;
        assert_eq!(ranking.invalid(), Some(("body", -2.0)));
    }

    #[test]
    fn a_partial_table_keeps_the_other_defaults() {
        let ranking: Ranking = toml::from_str("title = 5.0\nproximity_slop = 3").expect("toml");
        assert_eq!(ranking.title, 5.0);
        assert_eq!(ranking.proximity_slop, 3);
        assert_eq!(ranking.body, Ranking::default().body);
        assert!(toml::from_str::<Ranking>("titel = 5.0").is_err());
    }
}
