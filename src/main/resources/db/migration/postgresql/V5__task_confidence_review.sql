-- Issue 22: which cutouts to check first, what a person decided, and which matte is current.
-- confidence: 0..1, higher is more likely right (compare/MatteConfidence), written with the matte;
-- agreement: the lowest pairwise IoU of the ensemble's mattes (null for one model); doubts: the
-- comma-separated codes of what lowered the confidence. review: null until a person decides,
-- then 'accepted' or 'rejected' (a rejected cutout is left out of the zip). matte_version: 0 for
-- the model's matte, n for the n-th uploaded or refined one (DataLayout.matteVersion).
ALTER TABLE tasks ADD COLUMN confidence DOUBLE PRECISION;
ALTER TABLE tasks ADD COLUMN agreement DOUBLE PRECISION;
ALTER TABLE tasks ADD COLUMN doubts TEXT;
ALTER TABLE tasks ADD COLUMN review TEXT CHECK (review IS NULL OR review IN ('accepted', 'rejected'));
ALTER TABLE tasks ADD COLUMN reviewed_at TEXT;
ALTER TABLE tasks ADD COLUMN matte_version INTEGER NOT NULL DEFAULT 0;
-- No index on (job_id, confidence) for sort=confidence: SQLite's planner would take it for every
-- "job_id = ?" query, the completion check included, in place of tasks_unfinished; a job's rows
-- are sorted from the primary key instead, once per page asked for.
