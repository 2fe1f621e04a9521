//! Collects every matching unit with its score and its problem key, so that hits can be
//! grouped per problem and totals and facets are exact.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// A matching unit.
#[derive(Debug, Clone, Copy)]
pub struct UnitMatch {
    /// The problem key.
    pub key: u64,
    /// Where the unit is.
    pub address: DocAddress,
    /// Its score.
    pub score: Score,
}

/// Collects [`UnitMatch`]es.
pub struct UnitCollector {
    /// Whether scores are needed (not for exclusion queries).
    pub scoring: bool,
}

pub struct UnitSegmentCollector {
    segment: SegmentOrdinal,
    keys: Column<u64>,
    out: Vec<UnitMatch>,
}

impl Collector for UnitCollector {
    type Fruit = Vec<UnitMatch>;
    type Child = UnitSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<UnitSegmentCollector> {
        Ok(UnitSegmentCollector {
            segment,
            keys: reader.fast_fields().u64("key")?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Vec<UnitMatch>>) -> tantivy::Result<Vec<UnitMatch>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for UnitSegmentCollector {
    type Fruit = Vec<UnitMatch>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(key) = self.keys.first(doc) {
            self.out.push(UnitMatch {
                key,
                address: DocAddress::new(self.segment, doc),
                score,
            });
        }
    }

    fn harvest(self) -> Vec<UnitMatch> {
        self.out
    }
}
