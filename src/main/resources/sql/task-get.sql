SELECT * FROM tasks WHERE job_id = :#jobId AND task_id = :#taskId
