UPDATE tasks SET state = 'pending', attempts = 0, retry_count = 0, error = NULL, updated_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND state = 'permanently_failed' AND chunk IS NOT NULL
