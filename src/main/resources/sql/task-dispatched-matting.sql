UPDATE tasks SET state = 'dispatched_matting', updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id AND state IN ('pending', 'dispatched_matting', 'processing', 'failed')
