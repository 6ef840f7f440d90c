UPDATE jobs SET state = 'running', total = (SELECT COUNT(*) FROM tasks WHERE job_id = :#jobId),
    error = COALESCE(:#splitError, error), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE id = :#jobId AND state = 'splitting'
