-- What triage matches observations and pasted logs against, for every problem at once:
-- symptoms (observations in people's words) and signatures (log lines and error messages as
-- real software prints them, with their source). Symptoms are also in the text shards, which
-- are read one problem at a time; triage reads all of them when a generation is opened, so
-- they are kept here too (a few hundred bytes per problem).
CREATE TABLE evidence (
    problem_id TEXT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('symptom', 'signature')),
    text       TEXT NOT NULL,
    source     TEXT,
    PRIMARY KEY (problem_id, position)
);
