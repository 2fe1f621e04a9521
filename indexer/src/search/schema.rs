//! The Tantivy schema: one document per searchable unit (the problem's overview, and each
//! section), with the fields search weighs.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// The tokenizer of every text field: lower-cased words with English stemming.
pub const TOKENIZER: &str = "en_stem";

/// The schema and its field handles, built once.
#[derive(Debug, Clone)]
pub struct SearchSchema {
    /// The schema.
    pub schema: Schema,
    /// A stable 64-bit key of the problem id (see [`problem_key`]).
    pub key: Field,
    /// The section anchor; empty for the overview unit.
    pub anchor: Field,
    /// The section heading (the title for the overview unit).
    pub heading: Field,
    /// The problem title, in every unit.
    pub title: Field,
    /// Symptoms (overview unit only).
    pub symptoms: Field,
    /// Tags (overview unit only).
    pub tags: Field,
    /// Summary or description (overview unit only).
    pub summary: Field,
    /// The section text.
    pub body: Field,
}

impl Default for SearchSchema {
    fn default() -> Self {
        SearchSchema::new()
    }
}

impl SearchSchema {
    /// Builds the schema.
    pub fn new() -> SearchSchema {
        let mut builder = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let stored_text = text.clone().set_stored();
        let key = builder.add_u64_field("key", FAST | INDEXED | STORED);
        let anchor = builder.add_text_field("anchor", STRING | STORED);
        let heading = builder.add_text_field("heading", stored_text.clone());
        let title = builder.add_text_field("title", stored_text.clone());
        let symptoms = builder.add_text_field("symptoms", stored_text.clone());
        let tags = builder.add_text_field("tags", text);
        let summary = builder.add_text_field("summary", stored_text.clone());
        let body = builder.add_text_field("body", stored_text);
        SearchSchema {
            schema: builder.build(),
            key,
            anchor,
            heading,
            title,
            symptoms,
            tags,
            summary,
            body,
        }
    }

    /// The weighted text fields, best first: (field, boost).
    pub fn weighted_fields(&self) -> [(Field, f32); 6] {
        [
            (self.title, 3.0),
            (self.symptoms, 2.5),
            (self.tags, 2.0),
            (self.summary, 1.5),
            (self.heading, 1.5),
            (self.body, 1.0),
        ]
    }
}

/// A stable 64-bit key of a problem id: the first eight bytes of its blake3 hash.
pub fn problem_key(id: &str) -> u64 {
    let hash = blake3::hash(id.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(bytes)
}
