-- Claims one retried task for sending, so that two Retry presses at once send it once; a task whose
-- matting was done before it failed goes to the comparison only.
UPDATE tasks SET state = CASE WHEN matting_ms IS NULL THEN 'dispatched_matting' ELSE 'dispatched_comparison' END,
    end_time = NULL, updated_at = :#${bean:clock.now}
WHERE job_id = :#job_id AND task_id = :#task_id AND state = 'pending' AND end_time IS NOT NULL
