-- A person's decision on a finished cutout; null undoes it.
UPDATE tasks SET review = :#${header.review}, reviewed_at = :#${bean:clock.now}, updated_at = :#${bean:clock.now}
WHERE job_id = :#jobId AND task_id = :#taskId AND state = 'completed'
