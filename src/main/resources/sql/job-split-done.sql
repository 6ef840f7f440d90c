UPDATE jobs SET state = 'running', total = (SELECT COUNT(*) FROM tasks WHERE job_id = :#jobId),
    error = COALESCE(:#splitError, error), updated_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND state = 'splitting'
