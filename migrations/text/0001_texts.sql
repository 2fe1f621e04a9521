-- A text shard: what is read one problem at a time (body, symptoms, sections, approaches) for
-- the problems one index run parsed, and for those it moved here when it merged older shards.
-- Written once, by that run, and never modified afterwards; later generations hard-link it.
--
-- Rows are keyed by problem id: the generation database's `problems.text_shard` says which
-- shard holds the current rows of a problem, and rows of problems re-indexed since (now read
-- from a newer shard) are dead. Nothing here references `problems`: a shard outlives the
-- database it was written beside.

CREATE TABLE problem_texts (
    problem_id TEXT PRIMARY KEY,
    body       TEXT NOT NULL
);

CREATE TABLE symptoms (
    problem_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (problem_id, position)
);

CREATE TABLE approaches (
    problem_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    number     INTEGER,
    name       TEXT NOT NULL,
    anchor     TEXT NOT NULL,
    PRIMARY KEY (problem_id, position)
);

CREATE TABLE approach_parts (
    problem_id        TEXT NOT NULL,
    approach_position INTEGER NOT NULL,
    position          INTEGER NOT NULL,
    label             TEXT NOT NULL,
    text              TEXT NOT NULL,
    PRIMARY KEY (problem_id, approach_position, position)
);

CREATE TABLE sections (
    problem_id TEXT NOT NULL,
    position   INTEGER NOT NULL,
    heading    TEXT NOT NULL,
    level      INTEGER NOT NULL,
    anchor     TEXT NOT NULL,
    role       TEXT,
    text       TEXT NOT NULL,
    PRIMARY KEY (problem_id, position)
);
