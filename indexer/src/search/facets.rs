//! Filters and disjunctive facet counts over the problems of an open generation.
//!
//! Facet values are interned once when the engine opens, so that a search over thousands of
//! matching problems compares small integers instead of building and comparing strings.

use std::collections::{BTreeMap, HashMap};

/// Filters: OR within a field, AND across fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Category keys.
    pub category: Vec<String>,
    /// Domains.
    pub domain: Vec<String>,
    /// Industries.
    pub industry: Vec<String>,
    /// Difficulties.
    pub difficulty: Vec<String>,
    /// Tags.
    pub tag: Vec<String>,
    /// Companies of cited incidents.
    pub company: Vec<String>,
}

/// The facet fields, in output order.
pub const FACETS: [&str; 6] = [
    "category",
    "domain",
    "industry",
    "difficulty",
    "tag",
    "company",
];

/// Facet counts: facet → value → number of matching problems.
pub type Facets = BTreeMap<String, BTreeMap<String, usize>>;

impl Filters {
    fn values(&self, facet: usize) -> &[String] {
        match facet {
            0 => &self.category,
            1 => &self.domain,
            2 => &self.industry,
            3 => &self.difficulty,
            4 => &self.tag,
            _ => &self.company,
        }
    }
}

/// The values of one facet for every problem, interned.
#[derive(Debug, Default)]
struct FacetColumn {
    names: Vec<String>,
    ids: HashMap<String, u32>,
    /// `values[starts[p]..starts[p + 1]]` are problem `p`'s value ids.
    starts: Vec<u32>,
    values: Vec<u32>,
}

impl FacetColumn {
    fn push(&mut self, values: &[&str]) {
        self.starts.push(self.values.len() as u32);
        for value in values {
            let next = self.names.len() as u32;
            let id = *self.ids.entry((*value).to_string()).or_insert(next);
            if id == next {
                self.names.push((*value).to_string());
            }
            self.values.push(id);
        }
    }

    fn of(&self, problem: usize) -> &[u32] {
        let end = self
            .starts
            .get(problem + 1)
            .map_or(self.values.len(), |end| *end as usize);
        &self.values[self.starts[problem] as usize..end]
    }
}

/// Every facet of every problem.
#[derive(Debug, Default)]
pub struct FacetTable {
    columns: [FacetColumn; 6],
    /// Per problem, `all[all_starts[p]..all_starts[p + 1]]` are its values of every facet as
    /// (facet, value id): what a problem that passes every filter adds to the counts, read in
    /// one go.
    all_starts: Vec<u32>,
    all: Vec<(u8, u32)>,
}

impl FacetTable {
    /// Adds the next problem: its values per facet, in [`FACETS`] order.
    pub fn push(&mut self, values: [Vec<&str>; 6]) {
        let problem = self.all_starts.len();
        self.all_starts.push(self.all.len() as u32);
        for (column, values) in self.columns.iter_mut().zip(values) {
            column.push(&values);
        }
        for (facet, column) in self.columns.iter().enumerate() {
            for id in column.of(problem) {
                self.all.push((facet as u8, *id));
            }
        }
    }

    /// The values of every facet of a problem, as (facet, value id).
    fn all_of(&self, problem: usize) -> &[(u8, u32)] {
        let end = self
            .all_starts
            .get(problem + 1)
            .map_or(self.all.len(), |end| *end as usize);
        &self.all[self.all_starts[problem] as usize..end]
    }

    /// The first filter value no problem has, as (facet, value, the facet's values sorted).
    pub fn unknown(&self, filters: &Filters) -> Option<(&'static str, String, Vec<String>)> {
        (0..FACETS.len()).find_map(|facet| {
            let column = &self.columns[facet];
            filters
                .values(facet)
                .iter()
                .find(|value| !column.ids.contains_key(value.as_str()))
                .map(|value| {
                    let mut known = column.names.clone();
                    known.sort();
                    (FACETS[facet], value.clone(), known)
                })
        })
    }

    /// The filters of one request, resolved against the interned values.
    pub fn resolve(&self, filters: &Filters) -> ResolvedFilters {
        let wanted = std::array::from_fn(|facet| {
            let values = filters.values(facet);
            (!values.is_empty()).then(|| {
                let column = &self.columns[facet];
                let mut wanted = vec![false; column.names.len()];
                for value in values {
                    if let Some(id) = column.ids.get(value) {
                        wanted[*id as usize] = true;
                    }
                }
                wanted
            })
        });
        ResolvedFilters { wanted }
    }

    /// Starts counting facets for one request.
    pub fn counter(&self) -> FacetCounter<'_> {
        FacetCounter {
            table: self,
            counts: std::array::from_fn(|facet| vec![0; self.columns[facet].names.len()]),
        }
    }
}

/// Filters as flags over interned values; `None` where a facet is not filtered.
pub struct ResolvedFilters {
    wanted: [Option<Vec<bool>>; 6],
}

impl ResolvedFilters {
    /// Whether no facet is filtered: every problem passes.
    pub fn is_empty(&self) -> bool {
        self.wanted.iter().all(Option::is_none)
    }

    /// One bit per facet (in [`FACETS`] order) whose filter the problem fails.
    pub fn failed(&self, table: &FacetTable, problem: usize) -> u8 {
        let mut failed = 0;
        for (facet, wanted) in self.wanted.iter().enumerate() {
            if let Some(wanted) = wanted {
                let values = table.columns[facet].of(problem);
                if !values.iter().any(|id| wanted[*id as usize]) {
                    failed |= 1 << facet;
                }
            }
        }
        failed
    }
}

/// Disjunctive counts: a facet counts the problems that pass every filter but its own.
pub struct FacetCounter<'a> {
    table: &'a FacetTable,
    counts: [Vec<usize>; 6],
}

impl FacetCounter<'_> {
    /// Counts a matching problem that failed the filters in `failed` (see
    /// [`ResolvedFilters::failed`]).
    pub fn add(&mut self, problem: usize, failed: u8) {
        if failed == 0 {
            for (facet, id) in self.table.all_of(problem) {
                self.counts[*facet as usize][*id as usize] += 1;
            }
            return;
        }
        for (facet, counts) in self.counts.iter_mut().enumerate() {
            if failed & !(1 << facet) == 0 {
                for id in self.table.columns[facet].of(problem) {
                    counts[*id as usize] += 1;
                }
            }
        }
    }

    /// The counts by facet name and value, leaving out values no problem has.
    pub fn finish(self) -> Facets {
        FACETS
            .iter()
            .zip(self.counts)
            .enumerate()
            .map(|(facet, (name, counts))| {
                let names = &self.table.columns[facet].names;
                let values = counts
                    .into_iter()
                    .enumerate()
                    .filter(|(_, count)| *count > 0)
                    .map(|(id, count)| (names[id].clone(), count))
                    .collect();
                (name.to_string(), values)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> FacetTable {
        let mut table = FacetTable::default();
        // (category, difficulty, tags)
        for (category, difficulty, tags) in [
            ("a", "easy", vec!["x", "y"]),
            ("a", "hard", vec!["y"]),
            ("b", "hard", vec![]),
            ("c", "easy", vec!["x"]),
        ] {
            table.push([
                vec![category],
                vec![],
                vec![],
                vec![difficulty],
                tags,
                vec![],
            ]);
        }
        table
    }

    #[test]
    fn a_facet_ignores_its_own_filter_and_keeps_the_others() {
        let table = table();
        let filters = Filters {
            category: vec!["a".into(), "b".into()],
            difficulty: vec!["hard".into()],
            ..Filters::default()
        };
        let resolved = table.resolve(&filters);
        let mut counter = table.counter();
        let mut passing = Vec::new();
        for problem in 0..4 {
            let failed = resolved.failed(&table, problem);
            if failed == 0 {
                passing.push(problem);
            }
            counter.add(problem, failed);
        }
        assert_eq!(passing, [1, 2]);
        let facets = counter.finish();
        let counts = |facet: &str| -> Vec<(String, usize)> {
            facets[facet]
                .iter()
                .map(|(value, count)| (value.clone(), *count))
                .collect()
        };
        // Categories of the hard problems, whatever their category.
        assert_eq!(counts("category"), [("a".into(), 1), ("b".into(), 1)]);
        // Difficulties of the problems in a or b, whatever their difficulty.
        assert_eq!(
            counts("difficulty"),
            [("easy".into(), 1), ("hard".into(), 2)]
        );
        // Tags of the problems passing both.
        assert_eq!(counts("tag"), [("y".into(), 1)]);
        assert!(facets["domain"].is_empty());
    }

    #[test]
    fn an_unknown_filter_value_matches_nothing() {
        let table = table();
        let resolved = table.resolve(&Filters {
            tag: vec!["nope".into()],
            ..Filters::default()
        });
        assert!((0..4).all(|problem| resolved.failed(&table, problem) == 1 << 4));
    }
}

/// A set of problems, by ordinal.
#[derive(Debug, Clone)]
pub struct ProblemSet {
    members: Vec<bool>,
}

impl ProblemSet {
    /// An empty set of problems below `problems`.
    pub fn new(problems: usize) -> ProblemSet {
        ProblemSet {
            members: vec![false; problems],
        }
    }

    /// Adds a problem.
    pub fn insert(&mut self, problem: usize) {
        self.members[problem] = true;
    }

    /// Whether the set holds the problem.
    pub fn contains(&self, problem: usize) -> bool {
        self.members[problem]
    }
}
