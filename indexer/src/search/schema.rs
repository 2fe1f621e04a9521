//! The Tantivy schema. Each problem has one document that ranking reads (its fields weighed by
//! [`Ranking`](super::Ranking)), and one document per section, read only to choose the
//! sections and snippets of the problems on a page. Both carry the problem's key, so that one
//! delete removes them all.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::ranking::Ranking;

/// The tokenizer of the ranked text fields: lower-cased words with English stemming.
pub const TOKENIZER: &str = "en_stem";
/// The tokenizer of the surface field: lower-cased words as written, to tell typos apart.
pub const SURFACE_TOKENIZER: &str = "default";
/// Changes whenever documents are laid out differently; stored with each generation, so that
/// a generation of another layout is rebuilt rather than reused.
pub const SEARCH_LAYOUT: &str = "problem-documents-6";

/// The schema and its field handles, built once.
#[derive(Debug, Clone)]
pub struct SearchSchema {
    /// The schema.
    pub schema: Schema,
    /// A stable 64-bit key of the problem id (see [`problem_key`]), in every document.
    pub key: Field,
    /// Problem: its title.
    pub title: Field,
    /// Problem: its symptoms, and sections playing the symptoms role.
    pub symptoms: Field,
    /// Problem: how people have reported it (weighed by triage's statement search only, by
    /// default; not in `all`, so that it changes no search's coverage).
    pub reports: Field,
    /// Problem: its tags.
    pub tags: Field,
    /// Problem: its summary.
    pub summary: Field,
    /// Problem: the headings of its sections.
    pub headings: Field,
    /// Problem: the text of its sections.
    pub body: Field,
    /// Problem: every word of the fields above, stemmed, without frequencies (which words
    /// a problem holds, for coverage).
    pub all: Field,
    /// Problem: every word as written, lower-cased (which words the site holds, for typos).
    pub surface: Field,
    /// Problem: the log messages it prints, stored for snippets only (they are ranked as
    /// part of the body).
    pub signatures: Field,
    /// Section: its anchor.
    pub anchor: Field,
    /// Section: its heading.
    pub heading: Field,
    /// Section: its text.
    pub text: Field,
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
        let ranked = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let stored = ranked.clone().set_stored();
        let presence = |tokenizer: &str| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::Basic),
            )
        };
        let key = builder.add_u64_field("key", FAST | INDEXED | STORED);
        let title = builder.add_text_field("title", ranked.clone());
        let symptoms = builder.add_text_field("symptoms", stored.clone());
        let reports = builder.add_text_field("reports", ranked.clone());
        let tags = builder.add_text_field("tags", ranked.clone());
        let summary = builder.add_text_field("summary", stored.clone());
        let headings = builder.add_text_field("headings", ranked.clone());
        let body = builder.add_text_field("body", ranked);
        let all = builder.add_text_field("all", presence(TOKENIZER));
        let surface = builder.add_text_field("surface", presence(SURFACE_TOKENIZER));
        let signatures = builder.add_text_field("signatures", STORED);
        let anchor = builder.add_text_field("anchor", STRING | STORED);
        let heading = builder.add_text_field("heading", stored.clone());
        let text = builder.add_text_field("text", stored);
        SearchSchema {
            schema: builder.build(),
            key,
            title,
            symptoms,
            reports,
            tags,
            summary,
            headings,
            body,
            all,
            surface,
            signatures,
            anchor,
            heading,
            text,
        }
    }

    /// The ranked fields of a problem's document with their weights.
    pub fn weighted_fields(&self, ranking: &Ranking) -> [(Field, f32); 7] {
        [
            (self.title, ranking.title),
            (self.symptoms, ranking.symptoms),
            (self.reports, ranking.reports),
            (self.tags, ranking.tags),
            (self.summary, ranking.summary),
            (self.headings, ranking.headings),
            (self.body, ranking.body),
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
