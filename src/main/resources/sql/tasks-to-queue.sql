-- What recovery puts back on the queues: every task not terminal of a job from before this start, with its job's options.
SELECT t.job_id, t.task_id, t.name, t.chunk, t.state, t.attempts, t.matting_ms,
       j.format, j.bgcolor, j.mask_only, j.callback_url
FROM tasks t JOIN jobs j ON j.id = t.job_id
WHERE t.state NOT IN ('completed', 'permanently_failed', 'cancelled') AND j.state IN ('running', 'splitting')
  AND j.created_at < :#startedAt
ORDER BY t.job_id, t.task_id
