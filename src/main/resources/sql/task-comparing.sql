UPDATE tasks SET state = 'comparing', attempts = attempts + 1, worker_id = :#${threadName},
    start_time = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), end_time = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE job_id = :#job_id AND task_id = :#task_id AND state IN ('dispatched_comparison', 'failed')
