UPDATE jobs SET state = 'running', finished_at = NULL, updated_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND state IN ('completed', 'completed_with_errors')
  AND EXISTS (SELECT 1 FROM tasks WHERE job_id = :#jobId AND state = 'pending')
