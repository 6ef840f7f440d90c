UPDATE tasks SET state = 'failed', retry_count = retry_count + 1, error = :#${header.error}, end_time = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE job_id = :#job_id AND task_id = :#task_id AND state IN ('processing', 'comparing')
