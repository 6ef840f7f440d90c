UPDATE tasks SET state = 'permanently_failed', error = COALESCE(:#${header.error}, error), end_time = :#${bean:clock.now}, updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id AND state NOT IN ('completed', 'permanently_failed', 'cancelled')
