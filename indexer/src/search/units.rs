//! Which problem each unit of an open generation belongs to, built once when the engine opens.
//!
//! A search touches most units of a large catalog; reading the `key` fast field and hashing it
//! for every one of them cost more than the query itself. With this map a matching unit is
//! turned into its problem by one array read, and a problem's units are listed without a
//! query.

use std::collections::HashMap;

use tantivy::index::SegmentId;
use tantivy::{DocAddress, Searcher};

/// Marks a deleted unit, or one whose problem the database does not know.
pub const NO_PROBLEM: u32 = u32::MAX;

/// Units ↔ problems for the segments of one searcher.
#[derive(Debug)]
pub struct UnitMap {
    /// The segments the map was built for, by ordinal.
    segment_ids: Vec<SegmentId>,
    /// Per segment: doc → problem ordinal, or [`NO_PROBLEM`].
    problem_of: Vec<Vec<u32>>,
    /// Per problem: `units[starts[p]..starts[p + 1]]` are its live units, in doc order.
    starts: Vec<u32>,
    units: Vec<DocAddress>,
}

impl UnitMap {
    /// Maps every live unit of `searcher` to its problem ordinal through `by_key`.
    pub fn build(
        searcher: &Searcher,
        by_key: &HashMap<u64, usize>,
        problems: usize,
    ) -> tantivy::Result<UnitMap> {
        let mut segment_ids = Vec::new();
        let mut problem_of = Vec::new();
        let mut per_problem: Vec<Vec<DocAddress>> = vec![Vec::new(); problems];
        for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
            let keys = reader.fast_fields().u64("key")?;
            let alive = reader.alive_bitset();
            let mut map = vec![NO_PROBLEM; reader.max_doc() as usize];
            for doc in 0..reader.max_doc() {
                if alive.is_some_and(|alive| alive.is_deleted(doc)) {
                    continue;
                }
                let Some(&problem) = keys.first(doc).and_then(|key| by_key.get(&key)) else {
                    continue;
                };
                map[doc as usize] = problem as u32;
                per_problem[problem].push(DocAddress::new(ordinal as u32, doc));
            }
            segment_ids.push(reader.segment_id());
            problem_of.push(map);
        }
        let mut starts = Vec::with_capacity(problems + 1);
        let mut units = Vec::new();
        for list in per_problem {
            starts.push(units.len() as u32);
            units.extend(list);
        }
        starts.push(units.len() as u32);
        Ok(UnitMap {
            segment_ids,
            problem_of,
            starts,
            units,
        })
    }

    /// Whether `searcher` reads the segments this map was built for.
    pub fn fits(&self, searcher: &Searcher) -> bool {
        let readers = searcher.segment_readers();
        readers.len() == self.segment_ids.len()
            && readers
                .iter()
                .zip(&self.segment_ids)
                .all(|(reader, id)| reader.segment_id() == *id)
    }

    /// Doc → problem ordinal (or [`NO_PROBLEM`]) of one segment.
    pub fn segment(&self, ordinal: usize) -> &[u32] {
        &self.problem_of[ordinal]
    }

    /// The live units of a problem, in doc order.
    pub fn units_of(&self, problem: usize) -> &[DocAddress] {
        &self.units[self.starts[problem] as usize..self.starts[problem + 1] as usize]
    }
}
