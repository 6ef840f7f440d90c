UPDATE tasks SET state = 'dispatched_comparison', updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id AND state IN ('pending', 'matting_done', 'dispatched_comparison', 'comparing', 'failed')
