-- `evidence` gains a third kind, `report`: how people have reported a problem in their own
-- words (tickets, chat, pages). Triage matches observations against reports as it does against
-- symptoms, but never offers a report as a check to ask. SQLite cannot change a CHECK
-- constraint in place, so the table is rebuilt (evidence is derived from the records, and a
-- generation of an older schema is rebuilt rather than migrated, so no row is carried over).
DROP TABLE evidence;
CREATE TABLE evidence (
    problem_id TEXT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('symptom', 'report', 'signature')),
    text       TEXT NOT NULL,
    source     TEXT,
    PRIMARY KEY (problem_id, position)
);
