-- Other names people use for a problem (`cache stampede` for a thundering herd): searched as
-- the title is, shown with the problem, and read by triage to recognise a ruled-out statement
-- that names the problem.
CREATE TABLE problem_aliases (
    problem_id TEXT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    alias      TEXT NOT NULL,
    PRIMARY KEY (problem_id, position)
);
