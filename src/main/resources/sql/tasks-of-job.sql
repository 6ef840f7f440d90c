SELECT * FROM tasks WHERE job_id = :#jobId ORDER BY task_id
