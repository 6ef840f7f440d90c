-- Keyset paging: reports and result zips walk a job of any size a page at a time.
SELECT * FROM tasks WHERE job_id = :#jobId AND task_id > :#after ORDER BY task_id LIMIT :#pageSize
