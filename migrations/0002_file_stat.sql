-- What the file system said of each file when it was read: its length in bytes and its
-- modification time in nanoseconds since the Unix epoch. A file whose length and time are
-- unchanged (and whose time is not too close to the run that read it) is not read again.
-- NULL for rows written before this migration: those files are read and hashed.

ALTER TABLE files ADD COLUMN bytes INTEGER;
ALTER TABLE files ADD COLUMN modified_ns INTEGER;
