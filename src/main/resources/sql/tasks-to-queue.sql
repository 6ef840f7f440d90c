-- What recovery and the sweep put back on the queues: every task not terminal of a job created
-- before startedAt (recovery: this start, so a job submitted since is left to its own split; the
-- sweep: now), with its job's options.
SELECT t.job_id, t.task_id, t.name, t.chunk, t.state, t.attempts, t.matting_ms,
       j.format, j.bgcolor, j.mask_only, j.callback_url, j.render_options
FROM tasks t JOIN jobs j ON j.job_id = t.job_id
WHERE t.state NOT IN ('completed', 'permanently_failed', 'cancelled') AND j.state IN ('running', 'splitting')
  AND (CAST(:#jobId AS TEXT) IS NULL OR t.job_id = :#jobId) AND j.created_at < :#startedAt
ORDER BY t.job_id, t.task_id
