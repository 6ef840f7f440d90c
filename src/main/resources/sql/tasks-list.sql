SELECT * FROM tasks WHERE job_id = :#jobId AND (CAST(:#status AS TEXT) IS NULL OR state = :#status)
ORDER BY task_id LIMIT :#limit OFFSET :#offset
