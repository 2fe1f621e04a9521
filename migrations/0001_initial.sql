-- The structured side of a generation: records, their parts, typed edges, files and metadata.
-- Every table that hangs off a problem cascades on delete, so re-indexing a file is
-- "delete the problem, insert it again".

CREATE TABLE categories (
    key      TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    emoji    TEXT,
    target   INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL
);

CREATE TABLE problems (
    id         TEXT PRIMARY KEY,
    slug       TEXT NOT NULL,
    path       TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    summary    TEXT,
    category   TEXT,
    domain     TEXT,
    industry   TEXT,
    difficulty TEXT,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX problems_slug ON problems (slug);
CREATE INDEX problems_category ON problems (category);
CREATE INDEX problems_domain ON problems (domain);
CREATE INDEX problems_industry ON problems (industry);
CREATE INDEX problems_difficulty ON problems (difficulty);
CREATE INDEX problems_title ON problems (title);

CREATE TABLE problem_tags (
    problem_id TEXT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    tag        TEXT NOT NULL,
    PRIMARY KEY (problem_id, position)
);
CREATE INDEX problem_tags_tag ON problem_tags (tag);

CREATE TABLE problem_impacts (
    problem_id TEXT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    impact     TEXT NOT NULL,
    PRIMARY KEY (problem_id, position)
);
CREATE INDEX problem_impacts_impact ON problem_impacts (impact);

CREATE TABLE symptoms (
    problem_id TEXT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (problem_id, position)
);

CREATE TABLE incidents (
    problem_id TEXT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    company    TEXT,
    year       INTEGER,
    summary    TEXT,
    impact     TEXT,
    source     TEXT,
    PRIMARY KEY (problem_id, position)
);
CREATE INDEX incidents_company ON incidents (company);

CREATE TABLE approaches (
    problem_id TEXT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    number     INTEGER,
    name       TEXT NOT NULL,
    anchor     TEXT NOT NULL,
    PRIMARY KEY (problem_id, position)
);

CREATE TABLE approach_parts (
    problem_id        TEXT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    approach_position INTEGER NOT NULL,
    position          INTEGER NOT NULL,
    label             TEXT NOT NULL,
    text              TEXT NOT NULL,
    PRIMARY KEY (problem_id, approach_position, position)
);

CREATE TABLE sections (
    problem_id TEXT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    heading    TEXT NOT NULL,
    level      INTEGER NOT NULL,
    anchor     TEXT NOT NULL,
    role       TEXT,
    text       TEXT NOT NULL,
    PRIMARY KEY (problem_id, position)
);
CREATE INDEX sections_role ON sections (role);

-- Typed edges from front-matter edge fields and body links. `target` is kept as written
-- (normalised); `target_id` is the record it resolves to, NULL while it resolves to nothing.
CREATE TABLE edges (
    source_id TEXT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    field     TEXT NOT NULL,
    target    TEXT NOT NULL,
    target_id TEXT,
    PRIMARY KEY (source_id, position)
);
CREATE INDEX edges_target_id ON edges (target_id);
CREATE INDEX edges_target ON edges (target);

-- Every markdown file seen, with the hash that decides whether the next run re-parses it.
CREATE TABLE files (
    path         TEXT PRIMARY KEY,
    problem_id   TEXT,
    content_hash TEXT NOT NULL,
    size         INTEGER NOT NULL,
    errors       INTEGER NOT NULL DEFAULT 0,
    warnings     INTEGER NOT NULL DEFAULT 0
);

-- generation_id, built_at, tool_version, config_hash.
CREATE TABLE index_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
