-- Retry of a finished job whose split stopped early (job-split-done kept its error: a full disk, an
-- unreadable archive): it splits again, skipping the tasks it created and making the rest.
UPDATE jobs SET state = 'splitting', error = NULL, finished_at = NULL, updated_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND state IN ('completed', 'completed_with_errors') AND error IS NOT NULL
