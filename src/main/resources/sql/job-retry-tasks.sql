-- Retry: the job's permanently failed tasks that another try can fix (not "not an image", not a
-- decode failure, not rejected at the split) go back to 'pending'. end_time stays set: it tells
-- them apart from tasks the split has just inserted (tasks-retried.sql).
UPDATE tasks SET state = 'pending', attempts = 0, retry_count = 0, error = NULL, updated_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND state = 'permanently_failed' AND retryable = 1 AND chunk IS NOT NULL
