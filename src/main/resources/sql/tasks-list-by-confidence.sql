-- GET /jobs/{job}/tasks?sort=confidence: worst first; tasks without one (not matted yet, failed) last.
SELECT * FROM tasks WHERE job_id = :#jobId AND (CAST(:#status AS TEXT) IS NULL OR state = :#status)
ORDER BY confidence IS NULL, confidence, task_id LIMIT :#limit OFFSET :#offset
