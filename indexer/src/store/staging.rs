//! The rows of one index run, staged per table before they are written in batches.

use super::rows::RowBuffer;
use super::text::WRITE_SCHEMA;
use crate::model::ProblemRecord;

/// One buffer per table, in the order they are written (parents before children).
pub struct Tables {
    problems: RowBuffer,
    tags: RowBuffer,
    aliases: RowBuffer,
    impacts: RowBuffer,
    symptoms: RowBuffer,
    incidents: RowBuffer,
    approaches: RowBuffer,
    approach_parts: RowBuffer,
    sections: RowBuffer,
    edges: RowBuffer,
    evidence: RowBuffer,
    /// Files, staged by the writer itself (with or without a problem).
    pub files: RowBuffer,
    problem_texts: RowBuffer,
}

impl Tables {
    /// Empty buffers.
    pub fn new() -> Tables {
        Tables {
            problems: RowBuffer::new(
                "problems",
                &[
                    "id",
                    "slug",
                    "path",
                    "title",
                    "summary",
                    "category",
                    "domain",
                    "industry",
                    "difficulty",
                    "updated_at",
                    "sections",
                    "approaches",
                    "text_shard",
                ],
            ),
            tags: RowBuffer::new("problem_tags", &["problem_id", "position", "tag"]),
            aliases: RowBuffer::new("problem_aliases", &["problem_id", "position", "alias"]),
            impacts: RowBuffer::new("problem_impacts", &["problem_id", "position", "impact"]),
            symptoms: RowBuffer::new(
                &format!("{WRITE_SCHEMA}.symptoms"),
                &["problem_id", "position", "text"],
            ),
            incidents: RowBuffer::new(
                "incidents",
                &[
                    "problem_id",
                    "position",
                    "company",
                    "year",
                    "summary",
                    "impact",
                    "source",
                ],
            ),
            approaches: RowBuffer::new(
                &format!("{WRITE_SCHEMA}.approaches"),
                &["problem_id", "position", "number", "name", "anchor"],
            ),
            approach_parts: RowBuffer::new(
                &format!("{WRITE_SCHEMA}.approach_parts"),
                &[
                    "problem_id",
                    "approach_position",
                    "position",
                    "label",
                    "text",
                ],
            ),
            sections: RowBuffer::new(
                &format!("{WRITE_SCHEMA}.sections"),
                &[
                    "problem_id",
                    "position",
                    "heading",
                    "level",
                    "anchor",
                    "role",
                    "text",
                ],
            ),
            edges: RowBuffer::new(
                "edges",
                &["source_id", "position", "kind", "field", "target"],
            ),
            evidence: RowBuffer::new(
                "evidence",
                &["problem_id", "position", "kind", "text", "source"],
            ),
            files: RowBuffer::new(
                "files",
                &[
                    "path",
                    "problem_id",
                    "content_hash",
                    "size",
                    "errors",
                    "warnings",
                    "bytes",
                    "modified_ns",
                ],
            ),
            problem_texts: RowBuffer::new(
                &format!("{WRITE_SCHEMA}.problem_texts"),
                &["problem_id", "body"],
            ),
        }
    }

    /// Every buffer, parents before children.
    pub fn all(&mut self) -> [&mut RowBuffer; 13] {
        [
            &mut self.problems,
            &mut self.tags,
            &mut self.aliases,
            &mut self.impacts,
            &mut self.symptoms,
            &mut self.incidents,
            &mut self.approaches,
            &mut self.approach_parts,
            &mut self.sections,
            &mut self.edges,
            &mut self.evidence,
            &mut self.files,
            &mut self.problem_texts,
        ]
    }

    /// Stages a problem and every row that hangs off it; what is read one problem at a time
    /// goes to the run's text shard, `shard`.
    pub fn stage_problem(
        &mut self,
        record: &ProblemRecord,
        body: &str,
        updated_at: &str,
        shard: &str,
    ) {
        let t = self;
        let id = record.id.as_str();
        t.problems.push([
            id.into(),
            (&record.slug).into(),
            (&record.path).into(),
            (&record.title).into(),
            (&record.summary).into(),
            (&record.category).into(),
            (&record.domain).into(),
            (&record.industry).into(),
            (&record.difficulty).into(),
            updated_at.into(),
            record.sections.len().into(),
            record.approaches.len().into(),
            shard.into(),
        ]);
        t.problem_texts.push([id.into(), body.into()]);
        for (position, tag) in record.tags.iter().enumerate() {
            t.tags.push([id.into(), position.into(), tag.into()]);
        }
        for (position, alias) in record.aliases.iter().enumerate() {
            t.aliases.push([id.into(), position.into(), alias.into()]);
        }
        for (position, impact) in record.impact.iter().enumerate() {
            t.impacts.push([id.into(), position.into(), impact.into()]);
        }
        for (position, symptom) in record.symptoms.iter().enumerate() {
            t.symptoms
                .push([id.into(), position.into(), symptom.into()]);
        }
        for (position, incident) in record.incidents.iter().enumerate() {
            t.incidents.push([
                id.into(),
                position.into(),
                (&incident.company).into(),
                incident.year.into(),
                (&incident.summary).into(),
                (&incident.impact).into(),
                (&incident.source).into(),
            ]);
        }
        for (position, approach) in record.approaches.iter().enumerate() {
            t.approaches.push([
                id.into(),
                position.into(),
                approach.number.map(i64::from).into(),
                (&approach.name).into(),
                (&approach.anchor).into(),
            ]);
            for (part_position, part) in approach.parts.iter().enumerate() {
                t.approach_parts.push([
                    id.into(),
                    position.into(),
                    part_position.into(),
                    (&part.label).into(),
                    (&part.text).into(),
                ]);
            }
        }
        for (position, section) in record.sections.iter().enumerate() {
            t.sections.push([
                id.into(),
                position.into(),
                (&section.heading).into(),
                i64::from(section.level).into(),
                (&section.anchor).into(),
                (&section.role).into(),
                (&section.text).into(),
            ]);
        }
        let symptoms = record
            .symptoms
            .iter()
            .map(|text| ("symptom", text, None::<&str>));
        let reports = record
            .reports
            .iter()
            .map(|text| ("report", text, None::<&str>));
        let signatures = record
            .signatures
            .iter()
            .map(|signature| ("signature", &signature.text, signature.source.as_deref()));
        for (position, (kind, text, source)) in
            symptoms.chain(reports).chain(signatures).enumerate()
        {
            t.evidence.push([
                id.into(),
                position.into(),
                kind.into(),
                text.into(),
                source.into(),
            ]);
        }
        for (position, edge) in record.edges.iter().enumerate() {
            t.edges.push([
                id.into(),
                position.into(),
                (&edge.kind).into(),
                (&edge.field).into(),
                (&edge.target).into(),
            ]);
        }
    }
}
