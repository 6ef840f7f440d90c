SELECT state, COUNT(*) AS n FROM tasks WHERE job_id = :#jobId GROUP BY state
