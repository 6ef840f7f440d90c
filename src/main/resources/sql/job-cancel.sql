UPDATE jobs SET state = 'cancelled', updated_at = :#${bean:clock.now}, finished_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND state NOT IN ('completed', 'completed_with_errors', 'cancelled')
