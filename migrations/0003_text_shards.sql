-- What is read one problem at a time leaves the per-generation database. Each index run
-- copies the previous generation's database, so everything stored here is copied (and synced)
-- on every run: at 10,000 generated articles the bodies, sections, approaches and symptoms
-- were 270 of its 286 MB. They now live in text shards (`text/<name>.sqlite` beside this
-- database, schema in `migrations/text/`): written once by the run that parsed the file, never
-- modified afterwards, and hard-linked into later generations like Tantivy's segments.
--
-- What stays here is what is queried across problems: lists, filters and facets, edges,
-- incidents, files, statistics. `problems.sections` and `problems.approaches` keep the counts
-- that statistics need; `problems.text_shard` names the shard that holds a problem's text;
-- `text_shards` counts the problems each shard was written with, so that a run can tell how
-- much of a shard is dead.

DROP TABLE approach_parts;
DROP TABLE approaches;
DROP TABLE sections;
DROP TABLE symptoms;

ALTER TABLE problems DROP COLUMN body;
ALTER TABLE problems ADD COLUMN sections INTEGER NOT NULL DEFAULT 0;
ALTER TABLE problems ADD COLUMN approaches INTEGER NOT NULL DEFAULT 0;
ALTER TABLE problems ADD COLUMN text_shard TEXT NOT NULL DEFAULT '';
CREATE INDEX problems_text_shard ON problems (text_shard);

CREATE TABLE text_shards (
    name     TEXT PRIMARY KEY,
    problems INTEGER NOT NULL
) WITHOUT ROWID;
