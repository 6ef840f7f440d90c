-- Whether another try can fix a task's failure: 0 for "not an image" and decode failures, which
-- retry leaves alone (job-retry-tasks.sql).
ALTER TABLE tasks ADD COLUMN retryable INTEGER NOT NULL DEFAULT 1;
