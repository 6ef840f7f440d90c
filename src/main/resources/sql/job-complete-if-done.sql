-- One statement, so exactly one caller sees an update count of 1 and writes the results (on
-- PostgreSQL too: the row lock makes a second caller re-check the state and find it finished).
-- The NOT EXISTS is one probe of the partial index tasks_unfinished, on both databases.
UPDATE jobs
SET state = CASE WHEN error IS NOT NULL
                   OR EXISTS (SELECT 1 FROM tasks WHERE job_id = :#jobId AND state = 'permanently_failed')
                 THEN 'completed_with_errors' ELSE 'completed' END,
    finished_at = :#${bean:clock.now}, updated_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND state = 'running'
  AND NOT EXISTS (SELECT 1 FROM tasks
                  WHERE job_id = :#jobId AND state NOT IN ('completed', 'permanently_failed', 'cancelled'))
