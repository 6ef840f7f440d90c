-- What recovery puts back on the queues: every task not terminal, with its job's options.
SELECT t.job_id, t.task_id, t.name, t.chunk, t.state, t.attempts, t.matting_ms,
       j.format, j.bgcolor, j.mask_only, j.callback_url
FROM tasks t JOIN jobs j ON j.job_id = t.job_id
WHERE t.state NOT IN ('completed', 'permanently_failed', 'cancelled') AND j.state IN ('running', 'splitting')
  AND (CAST(:#jobId AS TEXT) IS NULL OR t.job_id = :#jobId)
ORDER BY t.job_id, t.task_id
