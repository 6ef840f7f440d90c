UPDATE tasks SET state = 'failed', retry_count = retry_count + 1, error = :#${header.error}, end_time = :#${bean:clock.now}, updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id AND state IN ('processing', 'comparing') AND worker_id = :#${bean:worker.id}
