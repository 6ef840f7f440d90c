-- The tasks job-retry-tasks.sql has just set back, with their job's options: exactly what retry sends.
SELECT t.job_id, t.task_id, t.name, t.chunk, t.state, t.attempts, t.matting_ms,
       j.format, j.bgcolor, j.mask_only, j.callback_url, j.render_options
FROM tasks t JOIN jobs j ON j.job_id = t.job_id
WHERE t.job_id = :#jobId AND t.state = 'pending' AND t.end_time IS NOT NULL
ORDER BY t.task_id
