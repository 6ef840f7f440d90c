DELETE FROM tasks WHERE job_id = :#jobId
